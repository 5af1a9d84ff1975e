"""aiohttp: inherited sessions never touch the parent's connections or its event loop.

aiohttp's design decides what forksafe can do. A ``ClientSession`` and its connector belong to
the event loop that made them (aiohttp refuses a session from another loop), and a forked child
runs its own loop: the child cannot get "its own connection through the same session" the way
it does with requests or httpx. It must make its own ``ClientSession``. What goes wrong without
forksafe is worse than a refused request: the child's ``await session.close()`` (or the
connector's destructor at exit) closes the inherited transports through the *parent's* loop
object, whose epoll instance the child shares with the parent. Removing a socket from it there
removes it for the parent, whose next request on that keep-alive connection then hangs.

:func:`install` makes aiohttp fork-aware:

* **Every connection socket is leased** when aiohttp's protocol gets its transport
  (``ResponseHandler.connection_made``; TLS transports report the same socket) and released on
  ``connection_lost``. In a forked child the quarantine points it at ``/dev/null`` before any
  child code runs: a close, a TLS shutdown (close_notify) or an epoll removal in the child then
  acts on ``/dev/null``, never on the parent's socket or its epoll registration.
* **An inherited session or connector is left alone** in the child: ``close()`` and the
  destructors keep it alive unclosed (``abandon``), touching neither its transports nor the
  parent's loop.
* **Using an inherited session** raises :class:`forksafe.ForkedConnectionError` naming the
  ``file:line`` that made it and saying what to do (make the session in the process, inside the
  coroutine, that uses it), instead of aiohttp's ``Timeout context manager should be used inside
  a task``. This holds under every on-fork policy: no policy can reconnect a session bound to
  another loop.
"""

from __future__ import annotations

import os
from typing import Any, Awaitable, Callable

from .._fork import state
from .._ownership import Ownership
from .._quarantine import abandon
from ..errors import ForkedConnectionError
from ._http import Patches, client_ownership, lease_socket, release

__all__ = ["install", "is_installed", "uninstall"]

LABEL = "aiohttp"
_patches = Patches()


def install() -> None:
    """Make aiohttp's sessions and connections fork-aware (idempotent). Imports aiohttp."""
    import aiohttp
    import aiohttp.client_proto
    import aiohttp.connector

    with _patches.lock:
        if _patches:
            return
        p = _patches
        session, connector = aiohttp.ClientSession, aiohttp.connector.BaseConnector
        handler = aiohttp.client_proto.ResponseHandler
        p.wrap(handler, "connection_made", _leasing_connection_made)
        p.wrap(handler, "connection_lost", _releasing_connection_lost)
        for cls in (session, connector):
            p.replace(cls, "_forksafe_gen", state.generation)
            p.replace(cls, "_forksafe_own", None)
            p.wrap(cls, "__init__", _stamping_init)
            p.wrap(cls, "__del__", _inherited_left_alone_del)
        p.wrap(session, "_request", _refusing_inherited_request)
        p.wrap(session, "close", _inherited_left_alone_close)
        p.wrap(connector, "close", _inherited_left_alone_close)
        tcp = aiohttp.connector.TCPConnector
        if "close" in tcp.__dict__:
            p.wrap(tcp, "close", _inherited_left_alone_close)


def uninstall() -> None:
    """Put back exactly what :func:`install` replaced (idempotent)."""
    _patches.undo()


def is_installed() -> bool:
    return bool(_patches)


def _leasing_connection_made(original: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    def connection_made(self: Any, transport: Any) -> None:
        original(self, transport)
        release(self)
        lease = lease_socket(transport.get_extra_info("socket"), self, LABEL, "<aiohttp connection>")
        if lease is not None:
            self._forksafe_lease = lease

    return connection_made


def _releasing_connection_lost(original: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    def connection_lost(self: Any, exc: Any) -> None:
        try:
            original(self, exc)
        finally:
            release(self)

    return connection_lost


def _stamping_init(original: Callable[..., None]) -> Callable[..., None]:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        own = client_ownership(LABEL, kind="ClientSession" if _is_session(self) else "connector")
        original(self, *args, **kwargs)
        vars(self).update(_forksafe_own=own, _forksafe_gen=state.generation)  # no __setattr__ hook

    return __init__


def _is_session(obj: Any) -> bool:
    return hasattr(obj, "_request")


def _inherited(obj: Any) -> bool:
    return bool(obj._forksafe_gen != state.generation)


def _inherited_left_alone_del(original: Callable[..., None]) -> Callable[..., None]:
    def __del__(self: Any, *args: Any, **kwargs: Any) -> None:
        if _inherited(self):
            abandon(self)  # kept alive unclosed: its transports belong to the parent's loop
            return
        original(self, *args, **kwargs)

    return __del__


async def _nothing() -> None:
    return None


def _inherited_left_alone_close(original: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    def close(self: Any, *args: Any, **kwargs: Any) -> Awaitable[None]:
        if _inherited(self):
            abandon(self)
            return _nothing()
        return original(self, *args, **kwargs)

    return close


def _refusing_inherited_request(original: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    def _request(self: Any, *args: Any, **kwargs: Any) -> Awaitable[Any]:
        if _inherited(self):
            raise _forked_session_error(self._forksafe_own)
        return original(self, *args, **kwargs)

    return _request


def _forked_session_error(own: Ownership | None) -> ForkedConnectionError:
    what = own.describe() if own is not None else "aiohttp ClientSession made before forksafe was installed"
    return ForkedConnectionError(
        f"{what} was used in forked process {os.getpid()}. An aiohttp ClientSession belongs to the "
        "event loop that made it and cannot be reopened in another process: make the session in the "
        "process that uses it, inside the coroutine (async with aiohttp.ClientSession() as session: ...). "
        "forksafe left the parent's connections untouched."
    )
