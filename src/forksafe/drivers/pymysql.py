"""PyMySQL. Pure Python; the socket is ``conn._sock``."""

from __future__ import annotations

from typing import Any, Optional

SERVER_STATUS_IN_TRANS = 1


def fds(conn: Any) -> list[int]:
    sock = getattr(conn, "_sock", None)
    return [sock.fileno()] if sock is not None else []


def in_transaction(conn: Any) -> Optional[bool]:
    status = getattr(conn, "server_status", None)
    return None if status is None else bool(status & SERVER_STATUS_IN_TRANS)


def is_closed(conn: Any) -> bool:
    return not conn.open


def ping(conn: Any) -> None:
    conn.ping(reconnect=False)
