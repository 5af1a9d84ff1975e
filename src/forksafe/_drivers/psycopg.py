"""psycopg 3. Its functions take any object that behaves like a connection, so the generic proxy
serves (``isinstance`` checks pass through ``__class__``). Loaders and dumpers registered on the
connection (``conn.adapters.register_loader``) live in the Python object: they are copied to the
child's new connection."""

from __future__ import annotations

import sys

from .base import DriverAdapter

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

    from .base import Args, Kwargs


def fds(conn: Any) -> list[int]:
    return [conn.fileno()]


# conn.info builds a ConnectionInfo per access (3 us); conn.closed/conn.broken are both
# "pgconn.status == BAD" (0.3 us each). Pools call these on every return, so read pgconn directly.
_CONNECTION_BAD = 1  # psycopg.pq.ConnStatus.BAD


def in_transaction(conn: Any) -> Optional[bool]:
    return bool(conn.pgconn.transaction_status)  # 0 is IDLE


def reusable(conn: Any) -> bool:
    return not conn.pgconn.transaction_status  # 0, IDLE: libpq says so only on an open connection


def is_closed(conn: Any) -> bool:
    return bool(conn.pgconn.status == _CONNECTION_BAD)


def ping(conn: Any) -> None:
    conn.execute("")


def snapshot(conn: Any) -> Any:
    return conn.adapters


def restore(conn: Any, adapters: Any) -> None:
    adapt = sys.modules.get("psycopg.adapt")
    adapters_map = getattr(adapt, "AdaptersMap", None)
    if adapters_map is not None and adapters is not None:
        conn._adapters = adapters_map(adapters)  # a copy of the parent's map, as psycopg itself makes


def connection_class(connect_fn: Callable[..., Any], args: Args, kwargs: Kwargs) -> Optional[type]:
    owner = getattr(connect_fn, "__self__", None)  # psycopg.connect is Connection.connect
    if isinstance(owner, type):
        return owner
    cls = getattr(sys.modules.get("psycopg"), "Connection", None)
    return cls if isinstance(cls, type) else None


ADAPTER = DriverAdapter(
    "psycopg", ("psycopg",), ("psycopg.connect",), dbapi_module="psycopg",
    fds=fds, in_transaction=in_transaction, is_closed=is_closed, reusable=reusable, ping=ping,
    session_methods=("set_autocommit", "set_isolation_level", "set_read_only", "set_deferrable"),
    snapshot=snapshot, restore=restore, connection_class=connection_class,
)
