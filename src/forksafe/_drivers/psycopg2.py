"""psycopg2. Its C functions that take a connection (``register_type``, ``register_uuid``,
``quote_ident``, ``sql.Composable.as_string``, ...) check the C type, so a proxy is refused
(docs/evidence.md, "Proxies and C type checks"): forksafe hands out a subclass of the driver's own
class that reconnects in place (``native_class``; see ``forksafe._native``).

``connection.__init__`` resets what the session was set to, so the settings are read back from
the object before a reconnect and put back after it: autocommit, isolation level, read-only,
deferrable (whether set as attributes or with ``set_session``/``set_isolation_level``), the
client encoding, and the typecasters registered on the connection.
"""

from __future__ import annotations

import sys

from .base import DriverAdapter

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

    from .base import Args, Kwargs

_SETTINGS = ("isolation_level", "readonly", "deferrable", "autocommit")


def fds(conn: Any) -> list[int]:
    return [conn.fileno()]


def in_transaction(conn: Any) -> Optional[bool]:
    # get_transaction_status() reads the same libpq value as conn.info.transaction_status without
    # building an info object: 0.08 us instead of 0.33 (pools call this on every return).
    return bool(conn.get_transaction_status())  # 0 is TRANSACTION_STATUS_IDLE


def reusable(conn: Any) -> bool:
    return not conn.get_transaction_status()  # 0, IDLE: libpq says so only on an open connection


def is_closed(conn: Any) -> bool:
    return bool(conn.closed)


def ping(conn: Any) -> None:
    with conn.cursor() as cur:
        cur.execute("")


def _base_class() -> Any:
    return sys.modules["psycopg2.extensions"].connection


# Through the base class's descriptors: forksafe's subclass guards its own attributes, and these
# run while it is switching.

def snapshot(conn: Any) -> Any:
    base = _base_class()
    settings = {name: getattr(base, name).__get__(conn) for name in _SETTINGS}
    return (settings, base.encoding.__get__(conn), dict(base.string_types.__get__(conn)),
            dict(base.binary_types.__get__(conn)))


def restore(conn: Any, saved: Any) -> None:
    base = _base_class()
    settings, encoding, string_types, binary_types = saved
    base.string_types.__get__(conn).update(string_types)
    base.binary_types.__get__(conn).update(binary_types)
    if encoding and base.encoding.__get__(conn) != encoding:
        base.set_client_encoding(conn, encoding)
    for name in _SETTINGS:
        getattr(base, name).__set__(conn, settings[name])


def connection_class(connect_fn: Callable[..., Any], args: Args, kwargs: Kwargs) -> Optional[type]:
    factory = kwargs.get("connection_factory")
    return factory if isinstance(factory, type) else _base_class()


ADAPTER = DriverAdapter(
    "psycopg2", ("psycopg2",), ("psycopg2.connect",), dbapi_module="psycopg2",
    fds=fds, in_transaction=in_transaction, is_closed=is_closed, reusable=reusable, ping=ping,
    native_class=True, factory_keyword="connection_factory",
    # What reads no session state; the PEP 249 exception classes are C getters on the class.
    unguarded=("string_types", "binary_types", "cursor_factory", "dsn", "closed", "async", "async_",
               "Warning", "Error", "InterfaceError", "DatabaseError", "DataError", "OperationalError",
               "IntegrityError", "InternalError", "ProgrammingError", "NotSupportedError"),
    snapshot=snapshot, restore=restore, connection_class=connection_class,
)
