"""httpx and httpcore, sync and async: every process its own connections.

An ``httpx.Client`` (or ``AsyncClient``) keeps its keep-alive connections in an httpcore
``ConnectionPool`` (``AsyncConnectionPool``): a list of connections guarded by a thread lock. A
forked child that uses the client sends its requests on the parent's sockets and reads replies
meant for others. :func:`install` makes httpcore fork-aware:

* **Every connection socket is leased** when httpcore's network backend opens it
  (``SyncBackend`` for ``Client``, ``AnyIOBackend`` for ``AsyncClient`` on asyncio), the lease
  following the stream through ``start_tls``, and released when httpcore closes it. In a forked
  child the quarantine points the inherited descriptors at ``/dev/null`` first thing: a child's
  ``client.close()`` / ``await client.aclose()``, GC or exit sends nothing (no TLS close_notify)
  to the parent's server.
* **Each pool starts empty in a child**, at its first request there or its close: new connection
  and request lists and a new lock (a parent thread may have held it at fork). The parent's
  connections are kept alive, never closed through httpcore (``abandon``): an async connection
  belongs to the parent's event loop, and closing it through that loop in the child would
  touch the epoll instance the child shares with the parent.
* **The on-fork policy** applies at the child's first request through a client made in another
  process, once per client and process (``forksafe._ownership.Ownership``): ``warn`` and ``raise``
  name the ``file:line`` that made the ``httpx.Client``.

Cost on the request path: one attribute read and integer compare per request.
"""

from __future__ import annotations

import os
from typing import Any, Awaitable, Callable

from .._fork import state
from .._ownership import Ownership
from .._quarantine import abandon
from ._http import Patches, client_ownership, lease_socket, ownership_of, release, releasing_close, renew_once

__all__ = ["install", "is_installed", "uninstall"]

LABEL = "httpcore"
_patches = Patches()
_installed_at = (0, 0)


def install() -> None:
    """Make every httpcore pool (so every httpx client) fork-aware (idempotent). Imports httpcore."""
    global _installed_at
    import httpcore
    from httpcore._backends import sync as sync_backend

    with _patches.lock:
        if _patches:
            return
        _installed_at = (state.generation, os.getpid())
        p = _patches
        for cls in (httpcore.ConnectionPool, httpcore.AsyncConnectionPool):
            p.replace(cls, "_forksafe_gen", state.generation)
            p.replace(cls, "_forksafe_own", None)
            p.wrap(cls, "__init__", _pool_init)
        p.wrap(httpcore.ConnectionPool, "handle_request", _renewing(claim=True))
        p.wrap(httpcore.ConnectionPool, "close", _renewing(claim=False))
        p.wrap(httpcore.AsyncConnectionPool, "handle_async_request", _renewing(claim=True))
        p.wrap(httpcore.AsyncConnectionPool, "aclose", _renewing(claim=False))

        backend, stream = sync_backend.SyncBackend, sync_backend.SyncStream
        p.replace(backend, "_forksafe_origin", "<unknown>")
        for name in ("connect_tcp", "connect_unix_socket"):
            p.wrap(backend, name, _leasing_connect)
        p.wrap(stream, "close", releasing_close)
        p.wrap(stream, "start_tls", _lease_follows_tls)
        try:
            from httpcore._backends import anyio as anyio_backend
        except ImportError:  # httpcore without its async extra: no AsyncClient to cover
            return
        abackend, astream = anyio_backend.AnyIOBackend, anyio_backend.AnyIOStream
        p.replace(abackend, "_forksafe_origin", "<unknown>")
        for name in ("connect_tcp", "connect_unix_socket"):
            p.wrap(abackend, name, _leasing_aconnect)
        p.wrap(astream, "aclose", _releasing_aclose)
        p.wrap(astream, "start_tls", _lease_follows_atls)


def uninstall() -> None:
    """Put back exactly what :func:`install` replaced (idempotent)."""
    _patches.undo()


def is_installed() -> bool:
    return bool(_patches)


# -- pools -----------------------------------------------------------------------------------------

def _pool_init(original: Callable[..., None]) -> Callable[..., None]:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        own = client_ownership(LABEL)
        original(self, *args, **kwargs)
        self._forksafe_own = own
        self._forksafe_gen = state.generation
        try:
            self._network_backend._forksafe_origin = own.origin  # for the leases it makes
        except AttributeError:
            pass

    return __init__


def _renewing(*, claim: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A pool method that first makes the pool this process's own (sync or async alike: the
    async original's coroutine is returned as is, no extra frame per request)."""

    def make(original: Callable[..., Any]) -> Callable[..., Any]:
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            if self._forksafe_gen != state.generation:
                _renew_pool(self, claim=claim)
            return original(self, *args, **kwargs)

        return method

    return make


def _ownership_of(pool: Any) -> Ownership:
    return ownership_of(pool, LABEL, _installed_at)


def _renew_pool(pool: Any, *, claim: bool) -> None:
    renew_once(pool, _ownership_of(pool), claim=claim, renew=_start_empty)


def _start_empty(pool: Any) -> None:
    abandon(pool._connections, pool._requests)  # the parent's: never closed here
    pool._connections = []
    pool._requests = []
    pool._optional_thread_lock = type(pool._optional_thread_lock)()


# -- sockets: lease at connect, follow TLS, release at close ---------------------------------------

def _lease_stream(backend: Any, stream: Any, sock: Any) -> None:
    lease = lease_socket(sock, stream, LABEL, getattr(backend, "_forksafe_origin", "<unknown>"))
    if lease is not None:
        stream._forksafe_lease = lease


def _move_lease(old: Any, new: Any) -> None:
    lease = old.__dict__.pop("_forksafe_lease", None)
    if lease is not None:
        if new is old or not hasattr(new, "__dict__"):
            old._forksafe_lease = lease
            return
        lease.owner = new
        new._forksafe_lease = lease


def _leasing_connect(original: Callable[..., Any]) -> Callable[..., Any]:
    def connect(self: Any, *args: Any, **kwargs: Any) -> Any:
        stream = original(self, *args, **kwargs)
        _lease_stream(self, stream, getattr(stream, "_sock", None))
        return stream

    return connect


def _lease_follows_tls(original: Callable[..., Any]) -> Callable[..., Any]:
    def start_tls(self: Any, *args: Any, **kwargs: Any) -> Any:
        new = original(self, *args, **kwargs)
        _move_lease(self, new)
        return new

    return start_tls


def _raw_socket(stream: Any) -> Any:
    import anyio.abc

    inner = getattr(stream, "_stream", None)
    return inner.extra(anyio.abc.SocketAttribute.raw_socket, None) if inner is not None else None


def _leasing_aconnect(original: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    async def connect(self: Any, *args: Any, **kwargs: Any) -> Any:
        stream = await original(self, *args, **kwargs)
        _lease_stream(self, stream, _raw_socket(stream))
        return stream

    return connect


def _releasing_aclose(original: Callable[[Any], Awaitable[None]]) -> Callable[[Any], Awaitable[None]]:
    async def aclose(self: Any) -> None:
        try:
            await original(self)
        finally:
            release(self)

    return aclose


def _lease_follows_atls(original: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    async def start_tls(self: Any, *args: Any, **kwargs: Any) -> Any:
        new = await original(self, *args, **kwargs)
        _move_lease(self, new)
        return new

    return start_tls
