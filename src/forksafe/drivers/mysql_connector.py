"""mysql-connector-python. The pure-Python connection exposes its socket; the C extension's does
not, so for it the general mechanism (descriptors opened during connect) does the work."""

from __future__ import annotations

from typing import Any, Optional


def fds(conn: Any) -> list[int]:
    sock = getattr(getattr(conn, "_socket", None), "sock", None)
    return [sock.fileno()] if sock is not None else []  # empty: the caller falls back


def in_transaction(conn: Any) -> Optional[bool]:
    return bool(conn.in_transaction)


def ping(conn: Any) -> None:
    conn.ping(reconnect=False)
