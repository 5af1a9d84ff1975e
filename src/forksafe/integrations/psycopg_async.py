"""psycopg 3's async flavour under zero-code mode: ``psycopg.AsyncConnection.connect`` (and so
every subclass's) and ``psycopg_pool.AsyncConnectionPool(...)`` (and ``AsyncNullConnectionPool``)
hand out forksafe proxies (see ``forksafe.connect_async``); every ``AsyncConnection`` psycopg
makes is leased.

The pool class keeps its name and identity (subclasses, ``isinstance`` and type annotations keep
working): only its ``__new__`` is replaced, returning a proxy whose own pools are made with
``object.__new__``. A pool's worker tasks connect through ``AsyncConnection.connect`` too; they
get the driver's connections, not proxies: either they were started while forksafe opened the
pool (a context variable they inherit), or a psycopg_pool frame is on the stack (a pool made
before ``install()``).

``install()`` is also the explicit, one-call way in for programs that do not use zero-code mode.
The sync ``psycopg.Connection`` is the DB-API core's (``forksafe._drivers``), not this module's.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from .._async import make, opening_raw
from .._async_leases import ensure_funnels, release_funnel
from .._async_zero_code import Replaced, replace, restore
from .._origin import capture

__all__ = ["install", "install_pool", "is_installed", "pool_is_installed", "uninstall", "uninstall_pool"]

_replaced: list[Replaced] = []
_pool_replaced: list[Replaced] = []


def _pool_is_connecting() -> bool:
    if opening_raw():
        return True
    frame: Any = sys._getframe(2)
    while frame is not None:
        if str(frame.f_globals.get("__name__", "")).startswith("psycopg_pool"):
            return True
        frame = frame.f_back
    return False


def _patch_connect() -> None:
    from psycopg import AsyncConnection

    original = AsyncConnection.__dict__["connect"].__func__

    # A classmethod: the proxy's recipe is the original bound to the class it was called on.
    async def connect(cls: type, *args: Any, **kwargs: Any) -> Any:
        if _pool_is_connecting():
            return await original(cls, *args, **kwargs)
        proxy = make(types.MethodType(original, cls), args, kwargs, None, capture(2))
        await proxy._fs_open()
        return proxy

    connect.__forksafe_original__ = original  # type: ignore[attr-defined]
    connect.__doc__ = original.__doc__
    _replaced.append(replace(AsyncConnection, "connect", classmethod(connect)))


def _patch_pool() -> None:
    from psycopg_pool.pool_async import AsyncConnectionPool  # psycopg_pool itself may be half-imported

    def __new__(cls: type, *args: Any, **kwargs: Any) -> Any:
        if opening_raw():
            return object.__new__(cls)
        return make(cls, args, kwargs, None, capture(2))

    _pool_replaced.append(replace(AsyncConnectionPool, "__new__", staticmethod(__new__)))


def install() -> None:
    """Patch ``AsyncConnection.connect``, and ``AsyncConnectionPool`` if its module is imported
    (else zero-code mode calls ``forksafe.integrations.psycopg_pool_async.install()`` when it is:
    psycopg finishes importing in the middle of psycopg_pool's own import)."""
    if _replaced:
        return
    import psycopg  # noqa: F401

    ensure_funnels("zero-code", only="psycopg")
    _patch_connect()
    pool_module = sys.modules.get("psycopg_pool.pool_async")
    if pool_module is not None and hasattr(pool_module, "AsyncConnectionPool"):
        install_pool()


def install_pool() -> None:
    if _pool_replaced:
        return
    import psycopg_pool.pool_async  # noqa: F401

    ensure_funnels("zero-code", only="psycopg")
    _patch_pool()


def uninstall() -> None:
    uninstall_pool()
    if _replaced:
        restore(_replaced)
        release_funnel("psycopg", "zero-code")


def uninstall_pool() -> None:
    if _pool_replaced:
        restore(_pool_replaced)
        if not _replaced:  # the connect patch still needs the lease funnel
            release_funnel("psycopg", "zero-code")


def is_installed() -> bool:
    return bool(_replaced)


def pool_is_installed() -> bool:
    return bool(_pool_replaced)
