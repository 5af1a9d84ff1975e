"""Leases for every connection the async drivers make, at the driver's funnel.

Each driver has one method every new connection passes through (``_async_drivers``: asyncpg's and
psycopg's ``Connection.__init__``, aiomysql's ``Connection._connect``, which reconnects re-run).
:func:`ensure_funnels` wraps it to lease the connection's socket the moment it exists, in the
driver's pools too, so the at-fork quarantine covers it. The wrapper only adds a lease, which
changes nothing in the process that made the connection.
"""

from __future__ import annotations

import functools
import importlib
import logging
import os
import sys
from typing import Any, Callable, Optional

from ._async_drivers import DRIVERS, AsyncDriver, driver_named
from ._origin import capture
from ._quarantine import Lease, LeaseInfo

__all__ = ["ensure_funnels", "release_funnel"]

_log = logging.getLogger("forksafe.async")

_funnel_claims: dict[str, set[str]] = {}
_funnel_originals: dict[str, Any] = {}


def _lease(driver: AsyncDriver, conn: Any) -> None:
    existing = driver.lease_of(conn)
    if existing is not None and existing.key and not existing.stale:
        existing.update()  # a reconnect inside the driver: follow its new socket
        return
    info = LeaseInfo(driver.name, "client", capture(3), os.getpid())
    lease = Lease(driver.fds(conn), info=info, owner=conn, refresh=driver.fds if driver.moving else None)
    driver.keep(conn, lease, lease.release)


def _leasing(driver: AsyncDriver, original: Callable[..., Any], is_coroutine: bool) -> Callable[..., Any]:
    def lease_quietly(conn: Any) -> None:
        try:
            _lease(driver, conn)
        except Exception:  # a lease must never break the driver's connect
            _log.exception("forksafe could not lease a %s connection", driver.name)

    if is_coroutine:
        @functools.wraps(original)
        async def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = await original(self, *args, **kwargs)
            lease_quietly(self)
            return result
    else:
        @functools.wraps(original)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(self, *args, **kwargs)
            lease_quietly(self)
            return result
    wrapper.__forksafe_lease_funnel__ = True  # type: ignore[attr-defined]
    return wrapper


def _funnel_class(driver: AsyncDriver) -> Optional[type]:
    module_name, class_name, _, _ = driver.funnel
    module = sys.modules.get(module_name)
    cls = getattr(module, class_name, None)
    return cls if isinstance(cls, type) else None


def ensure_funnels(claim: str, only: Optional[str] = None) -> None:
    """Lease every new connection of each supported driver that is imported (or of ``only``)."""
    for driver in DRIVERS:
        if only is not None and driver.name != only:
            continue
        claims = _funnel_claims.get(driver.name)
        if claims is not None:
            claims.add(claim)
            continue
        if only is not None:
            importlib.import_module(driver.funnel[0])
        cls = _funnel_class(driver)
        if cls is None:
            continue
        method, is_coroutine = driver.funnel[2], driver.funnel[3]
        original = cls.__dict__[method]
        _funnel_originals[driver.name] = original
        setattr(cls, method, _leasing(driver, original, is_coroutine))
        _funnel_claims[driver.name] = {claim}


def release_funnel(name: str, claim: str) -> None:
    """Drop ``claim``; the funnel is restored when nobody needs it (explicit proxies always do)."""
    claims = _funnel_claims.get(name)
    if claims is None:
        return
    claims.discard(claim)
    if claims:
        return
    driver = driver_named(name)
    cls = _funnel_class(driver)
    if cls is not None:
        setattr(cls, driver.funnel[2], _funnel_originals.pop(name))
    del _funnel_claims[name]

