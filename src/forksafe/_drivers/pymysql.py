"""PyMySQL. Pure Python; the socket is ``conn._sock``. ``ping()`` reconnects by default, so the
socket can change under the lease: it is re-read before every fork."""

from __future__ import annotations

from .base import DriverAdapter

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

    from .base import Args, Kwargs

SERVER_STATUS_IN_TRANS = 1


def fds(conn: Any) -> list[int]:
    sock = getattr(conn, "_sock", None)
    return [sock.fileno()] if sock is not None else []


def in_transaction(conn: Any) -> Optional[bool]:
    status = getattr(conn, "server_status", None)
    return None if status is None else bool(status & SERVER_STATUS_IN_TRANS)


def reusable(conn: Any) -> bool:
    return bool(conn.open) and not conn.server_status & SERVER_STATUS_IN_TRANS


def is_closed(conn: Any) -> bool:
    return not conn.open


def ping(conn: Any) -> None:
    conn.ping(reconnect=False)


def connection_class(connect_fn: Callable[..., Any], args: Args, kwargs: Kwargs) -> Optional[type]:
    return connect_fn if isinstance(connect_fn, type) else None  # pymysql.connect is the class


ADAPTER = DriverAdapter(
    "pymysql", ("pymysql",), ("pymysql.connect", "pymysql.Connect"), dbapi_module="pymysql",
    fds=fds, may_reconnect=True, in_transaction=in_transaction, is_closed=is_closed, reusable=reusable,
    ping=ping,
    session_methods=("autocommit", "select_db", "set_charset", "set_character_set"),
    connection_class=connection_class,
    secret_positions=(2,),  # Connection(host, user, password, database, ...) in PyMySQL < 1.1
)
