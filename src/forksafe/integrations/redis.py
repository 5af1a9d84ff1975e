"""redis-py, sync and asyncio: every process (and every event loop) talks to Redis on its own sockets.

**What breaks without this.** redis-py's sync ``ConnectionPool`` notices a fork itself
(``_checkpid`` compares the pid and starts the pool empty), and its ``disconnect`` skips the
``shutdown()`` in a process that did not make the socket. What it does not cover: connections held
outside a pool (``single_connection_client=True``, a ``PubSub`` or a ``Pipeline`` kept across the
fork, a connection taken with ``get_connection()``), which a child keeps using on the parent's
socket; and a pool lock another thread held at fork (``ChildDeadlockedError`` after 5 s, or a hang
in ``reset()``). redis.asyncio dropped its pid checks (redis-py issue 2910): a child reuses the
parent's pooled connections, writes its commands on the parent's sockets, waits on futures of the
parent's event loop, and its ``aclose()`` unregisters the parent's sockets from the epoll instance
both processes share, so the parent's next reply never arrives.

**What this does.** Patched where redis-py opens sockets and hands out connections:

* every socket a connection opens (each class's ``_connect``) is leased
  (``forksafe._quarantine.Lease``), so in a forked child it points at ``/dev/null`` before any
  code of the child runs;
* right after that, still in the child's at-fork hook, every connection of the parent lets go of
  its socket (sync) or streams (asyncio): they are kept alive untouched (``abandon``), never
  closed through the library or the inherited event loop. Whatever the child then does with an
  inherited client (a command, a PubSub read, ``close()``, garbage collection, exit) finds it
  disconnected, and the library connects afresh on a socket of the child's own (a PubSub
  resubscribes through its own reconnect callback). The pools' locks are made anew there too;
* pools start empty at their first checkout in a new process (redis-py's own pid check for the
  sync pool; asyncio pools here), and asyncio pools and connections in each new event loop of
  the same process.

Nothing is checked per command beyond one generation compare in ``get_connection`` (and the
event loop, for asyncio): the fork hook does the work once.

Each pool the user makes has one :class:`~forksafe._ownership.Ownership` (origin: the user's
``file:line`` that made the client or pool), so ``on_fork='raise'`` / ``'warn'`` name that line where
the raw library would break: at an asyncio pool's first checkout in a child, and when a child
reconnects a connection its parent used outside a pool (``single_connection_client``, a PubSub).
A sync pool simply starts empty in a child, as redis-py's own pid check already makes it do.

``install()`` patches the library's classes, ``uninstall()`` puts back exactly what it replaced.
The library is imported only inside ``install()``.
"""

from __future__ import annotations

import asyncio
import os
import threading
import weakref
from typing import Any, Callable, Optional

from .._fork import on_child, state
from .._origin import capture
from .._ownership import Ownership
from .._quarantine import Lease, LeaseInfo, abandon

__all__ = ["install", "is_installed", "uninstall"]

LABEL = "redis"
_UNKNOWN_ORIGIN = "<a redis pool made before forksafe was installed>"

_lock = threading.Lock()
_replaced: list[tuple[type, str, object]] = []  # (class, attribute, what was in its __dict__)
_added: list[tuple[type, str]] = []  # class attributes we added (defaults for our markers)
_running_loop = asyncio._get_running_loop  # the C accessor: no exception when none is running


# -- shared by sync and asyncio -----------------------------------------------------------------

def _pool_ownership(pool: Any) -> Ownership:
    own: Optional[Ownership] = pool.__dict__.get("_forksafe_own")
    if own is None:  # a pool made before install(): its creation line is unknown
        own = pool._forksafe_own = Ownership(LABEL, kind="client", origin=_UNKNOWN_ORIGIN)
    return own


def _claim(own: Optional[Ownership]) -> None:
    """The current process starts using an object of ``own``: the on-fork policy, once."""
    if own is not None and own.crossing():
        with own.lock():
            own.claim()


def _lease(sock: Any, owner: object, own: Optional[Ownership]) -> Optional[Lease]:
    try:
        fd = sock.fileno()
    except (AttributeError, OSError):
        return None
    if fd < 0:
        return None
    origin = own.origin if own is not None else _UNKNOWN_ORIGIN
    return Lease((fd,), info=LeaseInfo(LABEL, "client", origin, os.getpid()), owner=owner)


def _release(conn: Any) -> None:
    lease: Optional[Lease] = conn.__dict__.pop("_forksafe_lease", None)
    if lease is not None and not lease.stale:
        lease.release()


def _fresh_lock(old: object) -> object:
    return threading.RLock() if "RLock" in type(old).__name__ else threading.Lock()


def _snapshot(pool: Any, names: tuple[str, ...]) -> list[Any]:
    """Strong references to every connection a pool holds (its WeakSet of lent ones included)."""
    found: list[Any] = []
    for name in names:
        found.extend(c for c in list(getattr(pool, name, None) or ()) if c is not None)
    return found


# -- what every forked child does first -----------------------------------------------------------
# Eager, not lazy (as the quarantine): at fork, every connection of the parent lets go of its
# socket (sync) or streams (asyncio) in the child, before any code of the child runs. Whatever the
# child then does with the inherited object (a command, a PubSub read, close, garbage collection)
# finds it disconnected and the library connects afresh, on a socket of the child's own; nothing
# checks a pid on the hot path. The objects let go of are kept alive untouched (``abandon``).

_sync_conns: weakref.WeakSet[Any] = weakref.WeakSet()  # connected sync connections
_async_conns: weakref.WeakSet[Any] = weakref.WeakSet()  # connected asyncio connections
_sync_pools: weakref.WeakSet[Any] = weakref.WeakSet()
_inherited: list[object] = []  # the parent's registries, kept as the child got them


def _live(registry: weakref.WeakSet[Any]) -> list[Any]:
    refs: set[Any] = getattr(registry, "data", set())  # the weak references, read without the
    return [obj for obj in (ref() for ref in list(refs)) if obj is not None]  # iteration guard


def _in_child() -> None:
    global _sync_conns, _async_conns, _sync_pools
    sync_conns, async_conns, pools = _live(_sync_conns), _live(_async_conns), _live(_sync_pools)
    _inherited.append((_sync_conns, _async_conns, _sync_pools))
    _sync_conns, _async_conns, _sync_pools = weakref.WeakSet(), weakref.WeakSet(), weakref.WeakSet()
    for conn in sync_conns:
        sock = getattr(conn, "_sock", None)  # (a slot in some classes)
        if sock is not None:
            # The parser keeps reading the (quarantined) socket: a read without a command first
            # (PubSub.listen) gets end-of-file, a ConnectionError the library reconnects on.
            abandon(sock)
            conn._sock = None
    for conn in async_conns:
        reader, writer = getattr(conn, "_reader", None), getattr(conn, "_writer", None)
        if writer is not None or reader is not None:
            abandon(reader, writer)  # never closed through the inherited event loop
            conn._reader = conn._writer = None
            try:
                conn._parser.on_disconnect()  # a read now raises ConnectionError, no I/O
            except Exception:
                pass
    for pool in pools:  # locks a parent thread may have held; redis-py's own pid check resets
        for name in ("_lock", "_fork_lock"):
            old = getattr(pool, name, None)
            if old is not None:
                setattr(pool, name, _fresh_lock(old))


on_child(_in_child)


def _inherited_conn(conn: Any) -> bool:
    """Connected in an earlier process generation (and let go of at fork)."""
    gen = conn._forksafe_gen
    return gen is not None and gen != state.generation


# -- sync: redis.connection ---------------------------------------------------------------------

def _patch_sync(redis_connection: Any) -> None:
    conn_cls = redis_connection.AbstractConnection
    pool_cls = redis_connection.ConnectionPool

    for cls in _classes_defining(redis_connection, conn_cls, "_connect"):
        _wrap_sync_connect(cls)
    orig_disconnect = vars(conn_cls)["disconnect"]

    def disconnect(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not _inherited_conn(self):
            _release(self)  # this process closes its own socket: nothing left to guard
        return orig_disconnect(self, *args, **kwargs)

    orig_init = vars(pool_cls)["__init__"]

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        own = self._forksafe_own = Ownership(LABEL, kind="client", origin=capture())
        own.claim()
        self._forksafe_gen = state.generation
        orig_init(self, *args, **kwargs)
        _sync_pools.add(self)

    _replace(conn_cls, "disconnect", disconnect)
    _replace(pool_cls, "__init__", __init__)
    for cls in (pool_cls, getattr(redis_connection, "BlockingConnectionPool", pool_cls)):
        if "get_connection" in vars(cls):
            _replace(cls, "get_connection", _sync_checkout(vars(cls)["get_connection"]))
        if "make_connection" in vars(cls):
            _replace(cls, "make_connection", _tagging(vars(cls)["make_connection"]))
    for cls in (conn_cls, pool_cls):
        _default(cls, "_forksafe_gen", None)
        _default(cls, "_forksafe_own", None)


def _sync_checkout(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_connection(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self._forksafe_gen != state.generation:
            _sync_pool_enter(self)
        return original(self, *args, **kwargs)

    return get_connection


def _tagging(original: Callable[..., Any]) -> Callable[..., Any]:
    def make_connection(self: Any) -> Any:
        conn = original(self)
        _tag(conn, _pool_ownership(self))
        return conn

    return make_connection


def _sync_pool_enter(pool: Any) -> None:
    """First checkout in this process: the pool starts empty, without the on-fork policy.

    A sync pool crossing a fork is something redis-py supports itself (its pid check), and
    frameworks rely on it (RQ's work horse reports through its worker's client, Celery's pool
    children through the result backend's): ``on_fork='raise'`` must not break them. The policy
    applies where the raw library would break: a connection used outside a pool, asyncio.
    """
    own = _pool_ownership(pool)
    with own.lock():
        if pool._forksafe_gen != state.generation:
            own.reset()
            pool._forksafe_gen = state.generation


def _wrap_sync_connect(cls: type) -> None:
    original = vars(cls)["_connect"]

    def _connect(self: Any) -> Any:
        if _inherited_conn(self):  # a connection the parent made, used by this child
            _claim(self._forksafe_own)
        sock = original(self)
        lease: Optional[Lease] = self.__dict__.get("_forksafe_lease")
        if sock is not None and not (lease is not None and not lease.stale and lease.fds
                                     and lease.fds[0][0] == _fileno(sock)):
            self._forksafe_lease = _lease(sock, sock, self.__dict__.get("_forksafe_own"))
        self._forksafe_gen = state.generation
        _sync_conns.add(self)
        return sock

    _replace(cls, "_connect", _connect)


def _fileno(sock: Any) -> int:
    try:
        return int(sock.fileno())
    except (AttributeError, OSError):
        return -1


def _classes_defining(module: Any, base: type, name: str) -> list[type]:
    """The connection classes of ``module`` with their own ``name`` (each subclass's socket)."""
    return [cls for cls in vars(module).values()
            if isinstance(cls, type) and issubclass(cls, base) and name in vars(cls)
            and not getattr(vars(cls)[name], "__isabstractmethod__", False)]


def _tag(conn: Any, own: Ownership) -> None:
    """A connection a pool made answers to the pool's Ownership (its creation line)."""
    conn._forksafe_own = own
    inner = getattr(conn, "_conn", None)  # CacheProxyConnection wraps the real one
    if inner is not None:
        inner._forksafe_own = own


# -- asyncio: redis.asyncio.connection ----------------------------------------------------------

def _async_connected(conn: Any) -> None:
    writer = conn._writer
    if writer is None:
        return
    lease: Optional[Lease] = conn.__dict__.get("_forksafe_lease")
    if lease is None or lease.owner is not writer:
        conn._forksafe_lease = _lease(writer.transport.get_extra_info("socket"), writer,
                                      conn.__dict__.get("_forksafe_own"))
    conn._forksafe_gen = state.generation
    conn._forksafe_loop = _running_loop()
    _async_conns.add(conn)


def _async_other_loop(conn: Any) -> None:
    """This process's connection, made in an event loop that is not the one running now: closed
    through the loop it belongs to (a closed loop's transport closes its socket when collected,
    as the library leaves it), so the library connects afresh in this loop."""
    writer, loop = conn._writer, conn._forksafe_loop
    conn._reader = conn._writer = None
    _release(conn)
    if writer is not None:
        try:
            if loop is not None and not loop.is_closed() and loop.is_running():
                loop.call_soon_threadsafe(writer.close)
            else:
                writer.close()
        except RuntimeError:  # the loop is closed
            pass
    try:
        conn._parser.on_disconnect()
    except Exception:
        pass


def _async_pool_enter(pool: Any) -> None:
    """First use of a pool in this process or event loop: it starts empty, with fresh locks."""
    own = _pool_ownership(pool)
    with own.lock():
        loop = _running_loop()
        if pool._forksafe_gen == state.generation and pool._forksafe_loop is loop:
            return
        own.claim()  # on_fork='raise' stops here
        if pool._forksafe_gen is not None:
            held = _snapshot(pool, ("_available_connections", "_in_use_connections"))
            if pool._forksafe_gen != state.generation:
                abandon(*held)  # the parent's: let go of at fork already, kept alive untouched
            else:
                for conn in held:  # this process's own, from a loop no longer current
                    if conn._writer is not None and conn._forksafe_loop is not loop:
                        _async_other_loop(conn)
            pool.reset()
            pool._lock = asyncio.Lock()
            if "_condition" in pool.__dict__:
                pool._condition = asyncio.Condition()
            pool._forksafe_resets = pool._forksafe_resets + 1
        pool._forksafe_gen = state.generation
        pool._forksafe_loop = loop


def _async_pool_foreign(pool: Any, conn: Any) -> bool:
    """A connection handed back to a pool whose state is not this process's and loop's (a child
    releasing what its parent lent out), or that started afresh since it was lent: left alone;
    the pool's next get_connection() starts it afresh."""
    if pool._forksafe_gen != state.generation or pool._forksafe_loop is not _running_loop():
        return pool._forksafe_gen is not None
    return bool(pool._forksafe_resets) and conn not in pool._in_use_connections


async def _nothing() -> None:
    return None


def _patch_async(aconn: Any) -> None:
    conn_cls = aconn.AbstractConnection
    pool_cls = aconn.ConnectionPool

    for cls in _classes_defining(aconn, conn_cls, "_connect"):
        _wrap_async_connect(cls)
    orig_disconnect = vars(conn_cls)["disconnect"]
    orig_close = vars(conn_cls)["_close"]

    def disconnect(self: Any, *args: Any, **kwargs: Any) -> Any:
        _release(self)
        return orig_disconnect(self, *args, **kwargs)

    def _close(self: Any) -> None:
        _release(self)
        orig_close(self)

    orig_init = vars(pool_cls)["__init__"]
    orig_get = vars(pool_cls)["get_connection"]
    orig_release = vars(pool_cls)["release"]
    orig_make = vars(pool_cls)["make_connection"]

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        own = self._forksafe_own = Ownership(LABEL, kind="client", origin=capture())
        own.claim()
        orig_init(self, *args, **kwargs)

    def get_connection(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self._forksafe_gen != state.generation or self._forksafe_loop is not _running_loop():
            _async_pool_enter(self)
        return orig_get(self, *args, **kwargs)

    def release(self: Any, connection: Any) -> Any:
        # (a connection lent in another loop of this process, before the pool started afresh, is
        # still in the pool's own state: the library's release is right for it)
        if (self._forksafe_resets or self._forksafe_gen != state.generation) and \
                _async_pool_foreign(self, connection):
            return _nothing()
        return orig_release(self, connection)

    _replace(conn_cls, "disconnect", disconnect)
    _replace(conn_cls, "_close", _close)
    _replace(pool_cls, "__init__", __init__)
    _replace(pool_cls, "get_connection", get_connection)
    _replace(pool_cls, "release", release)
    _replace(pool_cls, "make_connection", _tagging(orig_make))
    blocking = getattr(aconn, "BlockingConnectionPool", None)
    if blocking is not None:
        for name in ("get_connection", "release"):
            if name in vars(blocking):
                _wrap_blocking(blocking, name)
    for name, value in (("_forksafe_gen", None), ("_forksafe_loop", None), ("_forksafe_own", None)):
        _default(conn_cls, name, value)
        _default(pool_cls, name, value)
    _default(pool_cls, "_forksafe_resets", 0)


def _wrap_async_connect(cls: type) -> None:
    original = vars(cls)["_connect"]

    async def _connect(self: Any) -> Any:
        if _inherited_conn(self):  # let go of at fork; this child now uses it
            _claim(self._forksafe_own)
        self._forksafe_gen = state.generation  # what connects now belongs here: the handshake
        self._forksafe_loop = _running_loop()  # that follows must not look inherited
        result = await original(self)
        _async_connected(self)
        return result

    _replace(cls, "_connect", _connect)


def _wrap_blocking(cls: type, name: str) -> None:
    original = vars(cls)[name]
    if name == "get_connection":
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            if self._forksafe_gen != state.generation or self._forksafe_loop is not _running_loop():
                _async_pool_enter(self)
            return original(self, *args, **kwargs)
    else:
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            if args and _async_pool_foreign(self, args[0]):
                return _nothing()
            return original(self, *args, **kwargs)
    _replace(cls, name, wrapper)


# -- install / uninstall ------------------------------------------------------------------------

def _replace(cls: type, name: str, value: Any) -> None:
    original = vars(cls)[name]
    if callable(value) and not isinstance(value, property):
        value.__wrapped__ = original
        value.__name__ = getattr(original, "__name__", name)
        value.__qualname__ = f"{cls.__qualname__}.{name}"
        value.__doc__ = getattr(original, "__doc__", None)
        value._forksafe = True
    _replaced.append((cls, name, original))
    setattr(cls, name, value)


def _default(cls: type, name: str, value: object) -> None:
    if name not in vars(cls):
        setattr(cls, name, value)
        _added.append((cls, name))


def install() -> None:
    """Make redis-py's sync and asyncio clients fork-safe (idempotent)."""
    with _lock:
        if _replaced:
            return
        import redis.asyncio.connection
        import redis.connection

        try:
            _patch_sync(redis.connection)
            _patch_async(redis.asyncio.connection)
        except BaseException:
            _undo()
            raise


def uninstall() -> None:
    """Put back exactly what :func:`install` replaced (idempotent)."""
    with _lock:
        _undo()


def _undo() -> None:
    while _replaced:
        cls, name, original = _replaced.pop()
        setattr(cls, name, original)
    while _added:
        cls, name = _added.pop()
        if name in vars(cls):
            delattr(cls, name)


def is_installed() -> bool:
    return bool(_replaced)


def _fresh_module_lock() -> None:
    global _lock
    _lock = threading.Lock()  # a parent thread may have held it at fork


os.register_at_fork(after_in_child=_fresh_module_lock)
