"""sqlite3. There is no server, but a file database carried across fork still corrupts: both
processes share file offsets and the child does not own the parent's POSIX locks. The connection
owns exactly its database file and SQLite's ``-journal``, ``-wal`` and ``-shm`` beside it; no other
file is touched, however its name starts. An in-memory or temporary database lives in the
process: a forked child has its own copy and keeps using it."""

from __future__ import annotations

import os
import sys

from .base import DriverAdapter

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

    from .base import Args, Kwargs

_COMPANIONS = ("", "-journal", "-wal", "-shm")


def in_transaction(conn: Any) -> Optional[bool]:
    return bool(conn.in_transaction)


def reusable(conn: Any) -> bool:
    return not conn.in_transaction  # a closed connection raises ProgrammingError: not reusable


def ping(conn: Any) -> None:
    conn.execute("SELECT 1")


def _database(args: Args, kwargs: Kwargs) -> tuple[str, bool]:
    """(the database argument as text, whether it is a URI)."""
    raw = args[0] if args else kwargs.get("database", "")
    uri = bool(args[7] if len(args) > 7 else kwargs.get("uri", False))
    if isinstance(raw, bytes):
        raw = os.fsdecode(raw)
    return os.fspath(raw) if not isinstance(raw, str) else raw, uri


def _path_of(args: Args, kwargs: Kwargs) -> Optional[str]:
    """The database's file name, or None for a database that lives in the process."""
    database, uri = _database(args, kwargs)
    if uri and database.startswith("file:"):
        from urllib.parse import parse_qs, unquote, urlsplit  # only for URIs: it costs ~5 ms to import

        parts = urlsplit(database)
        if parse_qs(parts.query).get("mode", [""])[0] == "memory":
            return None
        database = unquote(parts.path)
    if database in ("", ":memory:"):
        return None
    return os.path.realpath(database)


def in_process(args: Args, kwargs: Kwargs) -> bool:
    return _path_of(args, kwargs) is None


def files(args: Args, kwargs: Kwargs) -> list[str]:
    path = _path_of(args, kwargs)
    return [] if path is None else [path + suffix for suffix in _COMPANIONS]


def connection_class(connect_fn: Callable[..., Any], args: Args, kwargs: Kwargs) -> Optional[type]:
    factory = args[5] if len(args) > 5 else kwargs.get("factory")
    if isinstance(factory, type):
        return factory
    cls = getattr(sys.modules.get("sqlite3"), "Connection", None)
    return cls if isinstance(cls, type) else None


ADAPTER = DriverAdapter(
    "sqlite3", ("sqlite3", "_sqlite3"), ("sqlite3.connect",), dbapi_module="sqlite3",
    in_transaction=in_transaction, reusable=reusable, ping=ping,
    session_methods=("set_authorizer", "set_progress_handler", "set_trace_callback", "enable_load_extension"),
    registration_methods=("create_function", "create_aggregate", "create_collation",
                          "create_window_function", "setlimit"),
    files=files, in_process=in_process, connection_class=connection_class, unwrap_methods=("backup",),
)
