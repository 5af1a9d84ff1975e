"""mysql-connector-python. The pure-Python connection exposes its socket; the C extension's does
not, so for it the general mechanism (descriptors opened during connect) does the work.
``reconnect()`` and ``ping(reconnect=True)`` open a new socket: the lease follows it."""

from __future__ import annotations

import sys
from typing import Any, Callable, Optional

from .base import Args, DriverAdapter, Kwargs


def fds(conn: Any) -> list[int]:
    target = getattr(conn, "_cnx", conn)  # a PooledMySQLConnection wraps the real one
    sock = getattr(getattr(target, "_socket", None), "sock", None)
    return [sock.fileno()] if sock is not None else []  # empty: the caller falls back


def in_transaction(conn: Any) -> Optional[bool]:
    return bool(conn.in_transaction)


def ping(conn: Any) -> None:
    conn.ping(reconnect=False)


def connection_class(connect_fn: Callable[..., Any], args: Args, kwargs: Kwargs) -> Optional[type]:
    if "pool_name" in kwargs or "pool_size" in kwargs:
        pooling = sys.modules.get("mysql.connector.pooling")
        return getattr(pooling, "PooledMySQLConnection", None)
    if kwargs.get("use_pure", False) is False:
        cext = sys.modules.get("mysql.connector.connection_cext")
        cls = getattr(cext, "CMySQLConnection", None)
        if isinstance(cls, type):
            return cls
    connection = sys.modules.get("mysql.connector.connection")
    cls = getattr(connection, "MySQLConnection", None)
    return cls if isinstance(cls, type) else None


ADAPTER = DriverAdapter(
    "mysql.connector", ("mysql",), ("mysql.connector.connect",), dbapi_module="mysql.connector",
    fds=fds, may_reconnect=True, in_transaction=in_transaction, ping=ping,
    session_methods=("set_charset_collation", "set_client_flags", "cmd_init_db"),
    connection_class=connection_class,
)
