"""urllib3 v2, and so requests, botocore and elasticsearch's transport: every process its own connections.

A ``requests.Session`` (a ``urllib3.PoolManager`` and its ``HTTPConnectionPool`` objects) made in a
parent keeps its keep-alive sockets in a ``queue.LifoQueue``. A forked child that uses it takes
the *parent's* socket out of that queue: parent and children then write on one TCP connection
and read each other's responses (requests issue 4323, urllib3 issue 850). :func:`install` makes
urllib3 fork-aware:

* **Every connection socket is leased** the moment urllib3 opens it (``HTTPConnection._new_conn``;
  HTTPS wraps the same descriptor), and released when urllib3 closes it. In a forked child the
  quarantine points the inherited descriptors at ``/dev/null`` before any of the child's code
  runs: whatever the child does with an inherited connection (close, GC, exit, TLS teardown)
  sends nothing to the parent's server.
* **Each pool starts empty in a child**, at its first use there (``_get_conn``), its return of a
  connection (``_put_conn``) or its ``close()``: the queue gets new locks (a parent thread may have
  held its mutex at fork) and no connections; the parent's connections are kept alive unclosed
  (``abandon``). The child then opens its own connections, the parent's keep-alive ones are left
  as they were. A ``PoolManager``'s container lock is made anew the same way.
* **The on-fork policy** applies at the child's first request through a client made in another
  process, once per client and process, through the one state machine
  (``forksafe._ownership.Ownership``): ``reconnect`` (default), ``warn`` and ``raise`` name the
  ``file:line`` that made the ``Session`` / ``PoolManager`` / pool.

Cost on the request path: one attribute read and integer compare in ``_get_conn``,
``_put_conn`` and ``PoolManager.connection_from_pool_key``.
"""

from __future__ import annotations

import os
import queue
import threading
import weakref
from typing import Any, Callable, Optional

from .._fork import state
from .._ownership import Ownership
from .._quarantine import abandon
from ._http import (
    Patches,
    client_ownership,
    fresh_queue_state,
    lease_socket,
    ownership_of,
    release,
    releasing_close,
    renew_once,
)

__all__ = ["install", "is_installed", "uninstall"]

LABEL = "urllib3"
_patches = Patches()
_making = threading.local()  # the PoolManager whose _new_pool is running on this thread
_installed_at = (0, 0)  # (generation, pid) when install() ran: pools made before it were made here


def install() -> None:
    """Make every urllib3 pool and connection fork-aware (idempotent). Imports urllib3."""
    global _installed_at
    import urllib3.connection
    import urllib3.connectionpool
    import urllib3.poolmanager

    with _patches.lock:
        if _patches:
            return
        _installed_at = (state.generation, os.getpid())
        conn_cls = urllib3.connection.HTTPConnection
        pool_cls = urllib3.connectionpool.HTTPConnectionPool
        https_pool_cls = urllib3.connectionpool.HTTPSConnectionPool
        manager_cls = urllib3.poolmanager.PoolManager
        p = _patches
        # Objects made before install() belong to this generation (class-level defaults).
        for owner in (pool_cls, manager_cls):
            p.replace(owner, "_forksafe_gen", state.generation)
            p.replace(owner, "_forksafe_own", None)
        p.replace(conn_cls, "_forksafe_origin", "<unknown>")
        p.wrap(conn_cls, "_new_conn", _leasing_new_conn)
        p.wrap(conn_cls, "close", releasing_close)
        p.wrap(pool_cls, "__init__", _pool_init)
        for cls in (pool_cls, https_pool_cls):
            p.wrap(cls, "_new_conn", _pool_new_conn)
        p.wrap(pool_cls, "_get_conn", _pool_get_conn)
        p.wrap(pool_cls, "_put_conn", _pool_put_conn)
        p.wrap(pool_cls, "close", _pool_close)
        p.wrap(manager_cls, "__init__", _manager_init)
        p.wrap(manager_cls, "_new_pool", _manager_new_pool)
        p.wrap(manager_cls, "connection_from_pool_key", _manager_from_key)
        p.wrap(manager_cls, "clear", _manager_clear)


def uninstall() -> None:
    """Put back exactly what :func:`install` replaced (idempotent)."""
    _patches.undo()


def is_installed() -> bool:
    return bool(_patches)


# -- connections: lease the socket -----------------------------------------------------------------

def _leasing_new_conn(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def _new_conn(self: Any) -> Any:
        sock = original(self)
        release(self)  # a reconnect of the same HTTPConnection object: the old socket is gone
        lease = lease_socket(sock, self, LABEL, self._forksafe_origin)
        if lease is not None:
            self._forksafe_lease = lease
        return sock

    return _new_conn


# -- pools: start empty in a child -----------------------------------------------------------------

def _pool_init(original: Callable[..., None]) -> Callable[..., None]:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        own = getattr(_making, "own", None) or client_ownership(LABEL)
        self._forksafe_own = own
        self._forksafe_gen = state.generation
        q = self.pool
        if isinstance(q, queue.Queue):
            q._forksafe_gen = state.generation  # type: ignore[attr-defined]
            # Registered after urllib3's own finaliser, so it runs first (at GC and at exit): a
            # child that never used an inherited pool must not drain the parent's queue then.
            weakref.finalize(self, _settle_queue, q)

    return __init__


def _settle_queue(q: queue.Queue[Any]) -> None:
    if getattr(q, "_forksafe_gen", state.generation) != state.generation:
        fresh_queue_state(q)
        q._forksafe_gen = state.generation  # type: ignore[attr-defined]


def _pool_new_conn(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def _new_conn(self: Any) -> Any:
        conn = original(self)
        own = self._forksafe_own
        if own is not None:
            conn._forksafe_origin = own.origin
        return conn

    return _new_conn


def _pool_get_conn(original: Callable[[Any, Optional[float]], Any]) -> Callable[..., Any]:
    def _get_conn(self: Any, timeout: Optional[float] = None) -> Any:
        if self._forksafe_gen != state.generation:
            _renew_pool(self, claim=True)
        return original(self, timeout)

    return _get_conn


def _pool_put_conn(original: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    def _put_conn(self: Any, conn: Any) -> None:
        # A connection checked out before the fork is the parent's: kept alive, never pooled
        # here, and its slot not given back (the renewed queue already has all its slots).
        if self._forksafe_gen != state.generation:
            _renew_pool(self, claim=False)
            if conn is not None:
                abandon(conn)
            return  # also the clean-up after a refused first use (on_fork="raise"): nothing to return
        if conn is not None:
            lease = conn.__dict__.get("_forksafe_lease")
            if lease is not None and lease.generation != state.generation:
                abandon(conn)
                return
        original(self, conn)

    return _put_conn


def _pool_close(original: Callable[[Any], None]) -> Callable[[Any], None]:
    def close(self: Any) -> None:
        if self._forksafe_gen != state.generation:
            _renew_pool(self, claim=False)  # closing what was inherited: nothing to close
        original(self)

    return close


def _ownership_of(obj: Any) -> Ownership:
    return ownership_of(obj, LABEL, _installed_at)


def _renew_pool(pool: Any, *, claim: bool) -> None:
    """First touch of ``pool`` in this generation: apply the policy (on use), then start empty."""
    renew_once(pool, _ownership_of(pool), claim=claim, renew=_start_empty)


def _start_empty(pool: Any) -> None:
    q = pool.pool
    if isinstance(q, queue.Queue):
        fresh_queue_state(q)
        for _ in range(q.maxsize):
            q._put(None)  # urllib3's "room for one more" marker
        q._forksafe_gen = state.generation  # type: ignore[attr-defined]
    elif q is not None:  # a QueueCls that is not a queue.Queue: replace it whole
        abandon(q)
        pool.pool = queue.LifoQueue(getattr(q, "maxsize", 1))
        for _ in range(pool.pool.maxsize):
            pool.pool.put(None)
    pool.num_connections = 0


# -- pool managers (a requests Session holds one per adapter) --------------------------------------

def _manager_init(original: Callable[..., None]) -> Callable[..., None]:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        self._forksafe_own = client_ownership(LABEL)
        self._forksafe_gen = state.generation
        original(self, *args, **kwargs)

    return __init__


def _manager_new_pool(original: Callable[..., Any]) -> Callable[..., Any]:
    def _new_pool(self: Any, *args: Any, **kwargs: Any) -> Any:
        previous = getattr(_making, "own", None)
        _making.own = _ownership_of(self)  # the pool is the manager's: same maker, same policy
        try:
            return original(self, *args, **kwargs)
        finally:
            _making.own = previous

    return _new_pool


def _manager_from_key(original: Callable[..., Any]) -> Callable[..., Any]:
    def connection_from_pool_key(self: Any, pool_key: Any, request_context: Any = None) -> Any:
        if self._forksafe_gen != state.generation:
            _renew_manager(self, claim=True)
        return original(self, pool_key, request_context)

    return connection_from_pool_key


def _manager_clear(original: Callable[[Any], None]) -> Callable[[Any], None]:
    def clear(self: Any) -> None:
        if self._forksafe_gen != state.generation:
            _renew_manager(self, claim=False)
        original(self)

    return clear


def _renew_manager(manager: Any, *, claim: bool) -> None:
    own = _ownership_of(manager)
    with own.lock():
        if claim:
            own.claim()
        if manager._forksafe_gen == state.generation:
            return
        pools = getattr(manager, "pools", None)
        if pools is not None and hasattr(pools, "lock"):
            pools.lock = threading.RLock()  # a parent thread may have held it at fork
        manager._forksafe_gen = state.generation
