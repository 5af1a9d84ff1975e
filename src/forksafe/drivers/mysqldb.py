"""MySQLdb (mysqlclient), the driver of the original report.

Its C destructor sends COM_QUIT whatever process it runs in, so an inherited connection dropped or
garbage-collected in a child ends the parent's session: the quarantine is what saves it.
"""

from __future__ import annotations

from typing import Any, Optional


def fds(conn: Any) -> list[int]:
    return [conn.fileno()]


def in_transaction(conn: Any) -> Optional[bool]:
    return None  # mysqlclient does not expose the server status flags


def is_closed(conn: Any) -> bool:
    return not getattr(conn, "open", True)


def ping(conn: Any) -> None:
    conn.ping()
