"""What forksafe knows about the async SQL drivers: pure data, no imports from the rest of forksafe.

For each driver (asyncpg, psycopg 3's async flavour with psycopg_pool, aiomysql):

* its **factories**, the callables users open connections and pools with, by dotted name, and
  how each one opens: awaited (``await asyncpg.connect(...)``) or constructed then opened
  (``AsyncConnectionPool(..., open=False)`` then ``await pool.open()``, the form psycopg_pool
  asks for in async code);
* its **funnel**: the one method every connection the driver makes passes through, directly or
  inside its pools, reconnects included (``Connection.__init__`` for asyncpg and psycopg,
  ``Connection._connect`` for aiomysql, which ``ping(reconnect=True)`` re-runs). ``_async``
  wraps it to lease each connection's socket the moment it exists;
* how to read a connection's **descriptor** and where to keep its lease.

The driver modules are never imported here: functions receive the driver's objects.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple, Optional

__all__ = [
    "DRIVERS", "HOT_METHODS", "AsyncDriver", "Factory", "driver_named", "factory_for", "is_async_factory",
]


class Factory(NamedTuple):
    """A callable that makes a connection or a pool."""

    driver: str  # AsyncDriver.name
    kind: str  # "connection" or "pool"
    construct: bool  # True: a class to instantiate with open=False, then ``await obj.open()``
    produces: str = ""  # dotted name of the class it returns (for ``isinstance`` before opening)


class AsyncDriver(NamedTuple):
    """Knowledge about one async driver.

    ``module``: the top-level module; objects whose class lives under it belong to this driver.
    ``funnel``: (module, class, method, is_coroutine) every new connection passes through.
    ``fds(conn)``: the descriptors a connection talks to the server through.
    ``keep(conn, lease)``: store the lease on the connection, so that it lives exactly as long
    as the connection; ``release`` is called back when the driver reports the connection closed.
    ``moving``: the driver may replace a connection's socket itself (a reconnect).
    """

    name: str
    module: str
    funnel: tuple[str, str, str, bool]
    fds: Callable[[Any], list[int]]
    keep: Callable[[Any, Any, Callable[[], None]], None]
    lease_of: Callable[[Any], Any]
    moving: bool = False


def _socket_fds(transport: Any) -> list[int]:
    sock = transport.get_extra_info("socket") if transport is not None else None
    fd = sock.fileno() if sock is not None else -1
    return [fd] if fd >= 0 else []


# -- asyncpg ---------------------------------------------------------------------------------------
# Connection has __slots__ (no room for an attribute), but a termination listener is public API,
# is kept by the connection, and is called when it closes, terminates or loses its socket.

class _ReleaseOnTermination:
    __slots__ = ("lease", "release")

    def __init__(self, lease: Any, release: Callable[[], None]) -> None:
        self.lease = lease
        self.release = release

    def __call__(self, conn: Any) -> None:
        self.release()


def _asyncpg_keep(conn: Any, lease: Any, release: Callable[[], None]) -> None:
    conn.add_termination_listener(_ReleaseOnTermination(lease, release))


def _asyncpg_lease_of(conn: Any) -> Any:
    for callback in getattr(conn, "_termination_listeners", ()):
        cb = getattr(callback, "cb", None)
        if isinstance(cb, _ReleaseOnTermination):
            return cb.lease
    return None


# -- psycopg and aiomysql: plain attribute ----------------------------------------------------------

_ATTRIBUTE = "_forksafe_lease"


def _attribute_keep(conn: Any, lease: Any, release: Callable[[], None]) -> None:
    setattr(conn, _ATTRIBUTE, lease)


def _attribute_lease_of(conn: Any) -> Any:
    return getattr(conn, _ATTRIBUTE, None)


def _psycopg_fds(conn: Any) -> list[int]:
    fd = conn.pgconn.socket
    return [fd] if fd >= 0 else []


DRIVERS: tuple[AsyncDriver, ...] = (
    AsyncDriver(
        name="asyncpg", module="asyncpg",
        funnel=("asyncpg.connection", "Connection", "__init__", False),
        fds=lambda conn: _socket_fds(conn._transport),
        keep=_asyncpg_keep, lease_of=_asyncpg_lease_of,
    ),
    AsyncDriver(
        name="psycopg", module="psycopg",
        funnel=("psycopg.connection_async", "AsyncConnection", "__init__", False),
        fds=_psycopg_fds, keep=_attribute_keep, lease_of=_attribute_lease_of,
    ),
    AsyncDriver(
        name="aiomysql", module="aiomysql",
        funnel=("aiomysql.connection", "Connection", "_connect", True),
        fds=lambda conn: _socket_fds(getattr(conn._writer, "transport", None)),
        keep=_attribute_keep, lease_of=_attribute_lease_of, moving=True,
    ),
)

# Dotted names (``module.qualname``) of the factories; classes match their subclasses too.
FACTORIES: dict[str, Factory] = {
    "asyncpg.connection.connect": Factory("asyncpg", "connection", False, "asyncpg.connection.Connection"),
    "asyncpg.pool.create_pool": Factory("asyncpg", "pool", False, "asyncpg.pool.Pool"),
    "psycopg.connection_async.AsyncConnection.connect": Factory("psycopg", "connection", False),
    "psycopg_pool.pool_async.AsyncConnectionPool": Factory("psycopg", "pool", True),
    "aiomysql.connection.connect": Factory("aiomysql", "connection", False, "aiomysql.connection.Connection"),
    "aiomysql.pool.create_pool": Factory("aiomysql", "pool", False, "aiomysql.pool.Pool"),
}


# The methods a query loop calls on every round trip. The proxy forwards these through a method of
# its own when the driver's class has them (see ``_async._proxy_class``), because reaching the
# driver through ``__getattr__`` costs a failed attribute lookup first (about 1 us on CPython 3.11,
# 1 to 2% of a loopback SELECT 1).
HOT_METHODS: tuple[str, ...] = (
    "fetch", "fetchval", "fetchrow", "execute", "executemany", "cursor", "transaction", "prepare",
    "acquire", "release", "connection", "getconn", "putconn", "commit", "rollback",
)


def _dotted(obj: Any) -> str:
    return f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}"


def factory_for(fn: Any) -> Optional[Factory]:
    """The factory ``fn`` is (a bound classmethod counts as its function), or None."""
    if isinstance(fn, type):
        for cls in fn.__mro__:
            found = FACTORIES.get(_dotted(cls))
            if found is not None:
                return found
        return None
    return FACTORIES.get(_dotted(getattr(fn, "__func__", fn)))


def is_async_factory(fn: Any) -> bool:
    """A factory of an async driver (for ``forksafe.connect``'s error pointing to connect_async)."""
    if factory_for(fn) is not None or factory_for(getattr(fn, "__forksafe_original__", None)) is not None:
        return True
    code = getattr(getattr(fn, "__func__", fn), "__code__", None)
    return code is not None and bool(code.co_flags & _CO_COROUTINE)  # inspect costs 7 ms to import


_CO_COROUTINE = 0x80  # inspect.CO_COROUTINE: the code of an ``async def``


def driver_named(name: str) -> AsyncDriver:
    return next(d for d in DRIVERS if d.name == name)


def driver_of(obj: Any) -> Optional[AsyncDriver]:
    """The driver an object (a connection, a pool) belongs to, by its class's module."""
    for cls in type(obj).__mro__:
        top = getattr(cls, "__module__", "").partition(".")[0]
        if top == "psycopg_pool":
            top = "psycopg"
        for driver in DRIVERS:
            if driver.module == top:
                return driver
    return None
