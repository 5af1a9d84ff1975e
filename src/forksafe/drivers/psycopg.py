"""psycopg 3. Its functions take any object that behaves like a connection, so the generic proxy
serves (``isinstance`` checks pass through ``__class__``)."""

from __future__ import annotations

from typing import Any, Optional


def fds(conn: Any) -> list[int]:
    return [conn.fileno()]


def in_transaction(conn: Any) -> Optional[bool]:
    return bool(conn.info.transaction_status)  # 0 is IDLE


def is_closed(conn: Any) -> bool:
    return bool(conn.closed or conn.broken)


def ping(conn: Any) -> None:
    conn.execute("")
