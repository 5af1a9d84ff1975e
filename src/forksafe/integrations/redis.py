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

**What this does.** Patched at the connection-socket level, with the same two steps for both:

* every socket a connection opens is leased (``forksafe._quarantine.Lease``) the moment
  ``connect_check_health`` returns, so in a forked child it is pointed at ``/dev/null`` before any
  code of the child runs: whatever the child does later with the inherited object (close, GC,
  interpreter exit, a stray write) reaches nothing shared;
* a connection remembers the process generation (and, for asyncio, the event loop) it connected
  in. Used anywhere else, it first drops the inherited socket without closing it through the
  library (the objects are kept alive with ``abandon``) and connects afresh; pools start empty in
  each new process (and, for asyncio, in each new event loop), with fresh locks.

Each pool the user makes has one :class:`~forksafe._ownership.Ownership` (origin: the user's
``file:line`` that made the client or pool), so ``on_fork='raise'`` / ``'warn'`` name that line, as
for the SQL drivers. Connections a pool makes share its Ownership.

``install()`` patches the library's classes, ``uninstall()`` puts back exactly what it replaced.
The library is imported only inside ``install()``.
"""

from __future__ import annotations

import asyncio
import os
import threading
from typing import Any, Optional

from .._fork import state
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
    """Strong references to every connection a pool holds (WeakSets included)."""
    found: list[Any] = []
    for name in names:
        held = pool.__dict__.get(name)
        if held is None:
            continue
        if hasattr(held, "queue"):  # queue.LifoQueue of BlockingConnectionPool
            held = held.queue
        try:
            found.extend(c for c in list(held) if c is not None)
        except TypeError:
            continue
    return found


_POOL_HOLDINGS = ("_available_connections", "_in_use_connections", "_connections", "pool")


# -- sync: redis.connection ---------------------------------------------------------------------

def _sync_connected(conn: Any) -> None:
    """After the library connected: lease the new socket, remember the process."""
    sock = conn._sock
    lease: Optional[Lease] = conn.__dict__.get("_forksafe_lease")
    if sock is None or (lease is not None and lease.owner is sock):
        return
    conn._forksafe_lease = _lease(sock, sock, conn.__dict__.get("_forksafe_own"))
    conn._forksafe_gen = state.generation


def _sync_drop_inherited(conn: Any) -> None:
    """A child's first touch of an inherited connection: forget the parent's socket, untouched."""
    sock = conn._sock
    if sock is not None:
        abandon(sock)  # already on /dev/null; never closed, never shut down
        conn._sock = None
    conn.__dict__.pop("_forksafe_lease", None)  # the parent's lease, retired by the quarantine
    conn._forksafe_gen = state.generation
    try:
        conn._parser.on_disconnect()
    except Exception:  # a parser that never connected
        pass


def _sync_inherited(conn: Any) -> bool:
    """The connection's socket was opened by another process (the fast path: one compare)."""
    gen = conn._forksafe_gen
    if gen == state.generation:
        return False
    # None: connected before install(); the library's own pid tells.
    return gen is not None or getattr(conn, "pid", os.getpid()) != os.getpid()


def _sync_pool_enter(pool: Any) -> None:
    own = _pool_ownership(pool)
    with own.lock():
        if pool._forksafe_gen == state.generation:
            return
        own.claim()  # raises under on_fork='raise': nothing of the parent's is touched
        if pool._forksafe_gen is not None:
            # Locks a parent thread may have held at fork, and the parent's connections: replaced
            # and kept alive untouched; then the library's own reset (which sets the pid).
            abandon(*_snapshot(pool, _POOL_HOLDINGS))
            for name in ("_lock", "_fork_lock"):
                old = pool.__dict__.get(name)
                if old is not None:
                    setattr(pool, name, _fresh_lock(old))
            pool.reset()
        pool._forksafe_gen = state.generation


def _patch_sync(redis_connection: Any) -> None:
    conn_cls = redis_connection.AbstractConnection
    pool_cls = redis_connection.ConnectionPool

    connect_name = _connect_method(conn_cls)
    orig_connect = vars(conn_cls)[connect_name]
    orig_send = vars(conn_cls)["send_packed_command"]
    orig_disconnect = vars(conn_cls)["disconnect"]
    orig_can_read = vars(conn_cls)["can_read"]
    orig_read = vars(conn_cls)["read_response"]

    def connect_check_health(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self._sock is not None:
            if self._forksafe_gen == state.generation:  # connected here: the library returns at once
                return orig_connect(self, *args, **kwargs)
            if _sync_inherited(self):
                _claim(self._forksafe_own)
                _sync_drop_inherited(self)
        result = orig_connect(self, *args, **kwargs)
        _sync_connected(self)
        return result

    def send_packed_command(self: Any, command: Any, check_health: bool = True) -> Any:
        if self._forksafe_gen != state.generation and self._sock is not None and _sync_inherited(self):
            _claim(self._forksafe_own)
            _sync_drop_inherited(self)
        return orig_send(self, command, check_health)

    def can_read(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self._forksafe_gen != state.generation and self._sock is not None and _sync_inherited(self):
            _claim(self._forksafe_own)
            _sync_drop_inherited(self)  # the library connects afresh (a PubSub resubscribes)
        return orig_can_read(self, *args, **kwargs)

    def read_response(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self._forksafe_gen != state.generation and self._sock is not None and _sync_inherited(self):
            _claim(self._forksafe_own)
            _sync_drop_inherited(self)
            self.connect()  # a reply read without a command first (PubSub): resubscribes
        return orig_read(self, *args, **kwargs)

    def disconnect(self: Any, *args: Any, **kwargs: Any) -> Any:
        if _sync_inherited(self):
            _sync_drop_inherited(self)  # a child's close or GC: nothing reaches the parent's socket
        else:
            _release(self)
        return orig_disconnect(self, *args, **kwargs)

    orig_init = vars(pool_cls)["__init__"]
    orig_checkpid = vars(pool_cls)["_checkpid"]
    orig_make = vars(pool_cls)["make_connection"]

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        own = self._forksafe_own = Ownership(LABEL, kind="client", origin=capture())
        own.claim()
        self._forksafe_gen = state.generation
        orig_init(self, *args, **kwargs)

    def _checkpid(self: Any) -> None:
        if self._forksafe_gen != state.generation:
            _sync_pool_enter(self)
        orig_checkpid(self)

    def make_connection(self: Any) -> Any:
        conn = orig_make(self)
        _tag(conn, _pool_ownership(self))
        return conn

    _replace(conn_cls, connect_name, connect_check_health)
    _replace(conn_cls, "send_packed_command", send_packed_command)
    _replace(conn_cls, "disconnect", disconnect)
    _replace(conn_cls, "can_read", can_read)
    _replace(conn_cls, "read_response", read_response)
    _replace(pool_cls, "__init__", __init__)
    _replace(pool_cls, "_checkpid", _checkpid)
    _replace(pool_cls, "make_connection", make_connection)
    blocking = getattr(redis_connection, "BlockingConnectionPool", None)
    if blocking is not None and "make_connection" in vars(blocking):
        orig_bmake = vars(blocking)["make_connection"]

        def blocking_make_connection(self: Any) -> Any:
            conn = orig_bmake(self)
            _tag(conn, _pool_ownership(self))
            return conn

        _replace(blocking, "make_connection", blocking_make_connection)
    for cls in (conn_cls, pool_cls):
        _default(cls, "_forksafe_gen", None)
        _default(cls, "_forksafe_own", None)


def _connect_method(cls: type) -> str:
    """redis-py 6+ connects in ``connect_check_health`` (``connect`` retries it); 5.x in ``connect``."""
    return "connect_check_health" if "connect_check_health" in vars(cls) else "connect"


def _tag(conn: Any, own: Ownership) -> None:
    """A connection a pool made answers to the pool's Ownership (its creation line)."""
    conn._forksafe_own = own
    inner = getattr(conn, "_conn", None)  # CacheProxyConnection wraps the real one
    if inner is not None:
        inner._forksafe_own = own


# -- asyncio: redis.asyncio.connection ----------------------------------------------------------

def _async_stale(conn: Any) -> bool:
    """Connected in another process, or in another event loop than the one running now."""
    gen = conn._forksafe_gen
    if gen != state.generation:
        return gen is not None  # None: connected before install(); left to the library
    loop = _running_loop()
    return loop is not None and conn._forksafe_loop is not loop


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


def _async_drop(conn: Any) -> None:
    """Let go of a connection's streams made in another process or event loop.

    Another process's: kept alive untouched (``abandon``): closing the transport through the
    inherited loop would unregister the socket from the epoll instance the parent shares.
    This process's, made in an event loop no longer current: closed through the loop it belongs
    to (a closed loop's transport closes its socket when collected, as the library leaves it).
    """
    reader, writer = conn._reader, conn._writer
    conn._reader = conn._writer = None
    if conn._forksafe_gen != state.generation:
        abandon(reader, writer)
        conn.__dict__.pop("_forksafe_lease", None)
    elif writer is not None:
        _release(conn)
        _close_elsewhere(writer, conn._forksafe_loop)
    conn._forksafe_gen = state.generation
    conn._forksafe_loop = None
    try:
        conn._parser.on_disconnect()
    except Exception:
        pass


def _close_elsewhere(writer: Any, loop: Optional[asyncio.AbstractEventLoop]) -> None:
    try:
        if loop is not None and not loop.is_closed() and loop.is_running():
            loop.call_soon_threadsafe(writer.close)
        else:
            writer.close()
    except RuntimeError:  # the loop is closed: the transport's socket closes when collected
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
                abandon(*held)
            else:
                for conn in held:  # this process's own, from a loop no longer current
                    if conn._writer is not None:
                        _async_drop(conn)
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


async def _connect_and_lease(conn: Any, connecting: Any) -> Any:
    result = await connecting
    _async_connected(conn)
    return result


async def _nothing() -> None:
    return None


def _patch_async(aconn: Any) -> None:
    conn_cls = aconn.AbstractConnection
    pool_cls = aconn.ConnectionPool

    orig_is_connected = vars(conn_cls)["is_connected"]
    connect_name = _connect_method(conn_cls)
    orig_connect = vars(conn_cls)[connect_name]
    orig_disconnect = vars(conn_cls)["disconnect"]
    orig_close = vars(conn_cls)["_close"]
    is_connected_get = orig_is_connected.fget

    def is_connected(self: Any) -> bool:
        if not is_connected_get(self):
            return False
        if self._forksafe_gen == state.generation:  # the hot path: connected in this process...
            loop = _running_loop()
            if loop is None or self._forksafe_loop is loop:  # ...and this loop
                return True
        if _async_stale(self):
            _claim(self._forksafe_own)
            _async_drop(self)
            return False
        return True

    def connect_check_health(self: Any, *args: Any, **kwargs: Any) -> Any:
        # A plain function returning the coroutine: a pooled connection is checked on every
        # command, and an extra coroutine frame there would cost more than everything else here.
        if is_connected(self):  # (drops inherited streams first)
            return orig_connect(self, *args, **kwargs)
        self._forksafe_gen = state.generation  # what connects now belongs here: its handshake
        self._forksafe_loop = _running_loop()  # must not look inherited
        return _connect_and_lease(self, orig_connect(self, *args, **kwargs))

    def disconnect(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self._writer is not None and _async_stale(self):
            _async_drop(self)  # a child's close: nothing through the inherited loop
        else:
            _release(self)
        return orig_disconnect(self, *args, **kwargs)

    def _close(self: Any) -> None:
        if self._writer is not None and _async_stale(self):
            _async_drop(self)
            return
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
        if (self._forksafe_resets or self._forksafe_gen != state.generation
                or self._forksafe_loop is not _running_loop()) and _async_pool_foreign(self, connection):
            return _nothing()
        return orig_release(self, connection)

    def make_connection(self: Any) -> Any:
        conn = orig_make(self)
        _tag(conn, _pool_ownership(self))
        return conn

    _replace(conn_cls, "is_connected", property(is_connected, doc=orig_is_connected.__doc__))
    _replace(conn_cls, connect_name, connect_check_health)
    _replace(conn_cls, "disconnect", disconnect)
    _replace(conn_cls, "_close", _close)
    _replace(pool_cls, "__init__", __init__)
    _replace(pool_cls, "get_connection", get_connection)
    _replace(pool_cls, "release", release)
    _replace(pool_cls, "make_connection", make_connection)
    blocking = getattr(aconn, "BlockingConnectionPool", None)
    if blocking is not None:
        for name in ("get_connection", "release"):
            if name in vars(blocking):
                _wrap_blocking(blocking, name)
    for name, value in (("_forksafe_gen", None), ("_forksafe_loop", None), ("_forksafe_own", None)):
        _default(conn_cls, name, value)
        _default(pool_cls, name, value)
    _default(pool_cls, "_forksafe_resets", 0)


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
