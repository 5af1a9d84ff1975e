"""MySQLdb (mysqlclient), the driver of the original report.

Its C destructor sends COM_QUIT whatever process it runs in, so an inherited connection dropped or
garbage-collected in a child ends the parent's session: the quarantine is what saves it.
``autocommit(True)`` and ``select_db`` are methods, not attributes: they are session settings the
child's new session must repeat. ``ping(True)`` turns libmariadb's auto-reconnect on, after which
any query may silently open a new socket: the lease follows it.
"""

from __future__ import annotations

import sys

from .base import DriverAdapter

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

    from .base import Args, Kwargs


def fds(conn: Any) -> list[int]:
    return [conn.fileno()]


def in_transaction(conn: Any) -> Optional[bool]:
    return None  # mysqlclient does not expose the server status flags


def is_closed(conn: Any) -> bool:
    return not getattr(conn, "open", True)


def ping(conn: Any) -> None:
    conn.ping()


def connection_class(connect_fn: Callable[..., Any], args: Args, kwargs: Kwargs) -> Optional[type]:
    factory = kwargs.get("connection_class")
    if isinstance(factory, type):
        return factory
    connections = sys.modules.get("MySQLdb.connections")
    cls = getattr(connections, "Connection", None)
    return cls if isinstance(cls, type) else None


ADAPTER = DriverAdapter(
    "MySQLdb", ("MySQLdb",), ("MySQLdb.connect", "MySQLdb.Connect"), dbapi_module="MySQLdb",
    fds=fds, may_reconnect=True, in_transaction=in_transaction, is_closed=is_closed, ping=ping,
    session_methods=("autocommit", "select_db", "set_character_set", "set_sql_mode", "set_server_option"),
    connection_class=connection_class,
    secret_positions=(2,),  # connect(host, user, passwd, db, port, ...)
)
