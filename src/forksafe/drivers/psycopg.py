"""psycopg 3. Its functions take any object that behaves like a connection, so the generic proxy
serves (``isinstance`` checks pass through ``__class__``)."""

from __future__ import annotations

from typing import Any, Optional


def fds(conn: Any) -> list[int]:
    return [conn.fileno()]


# conn.info builds a ConnectionInfo per access (3 us); conn.closed/conn.broken are both
# "pgconn.status == BAD" (0.3 us each). Pools call these on every return, so read pgconn directly.
_CONNECTION_BAD = 1  # psycopg.pq.ConnStatus.BAD


def in_transaction(conn: Any) -> Optional[bool]:
    return bool(conn.pgconn.transaction_status)  # 0 is IDLE


def is_closed(conn: Any) -> bool:
    return bool(conn.pgconn.status == _CONNECTION_BAD)


def ping(conn: Any) -> None:
    conn.execute("")
