"""sqlite3 on a file. There is no server, but a connection carried across fork still corrupts:
both processes share file offsets and the child does not own the parent's POSIX locks. The
general mechanism records the database file, and the quarantine also catches its journal and WAL
files (same path prefix) opened later."""

from __future__ import annotations

from typing import Any, Optional


def in_transaction(conn: Any) -> Optional[bool]:
    return bool(conn.in_transaction)


def ping(conn: Any) -> None:
    conn.execute("SELECT 1")
