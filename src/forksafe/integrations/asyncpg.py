"""asyncpg under zero-code mode: ``asyncpg.connect`` and ``asyncpg.create_pool`` hand out forksafe
proxies (see ``forksafe.connect_async``), and every connection asyncpg makes is leased.

``install()`` is also the explicit, one-call way in for programs that do not use ``forksafe run``
or ``forksafe.patch()``. ``asyncpg.connection.connect`` keeps its own name: asyncpg's pools call
it, and a pool must hold the driver's connections, not proxies.
"""

from __future__ import annotations

from .._async_leases import ensure_funnels, release_funnel
from .._async_zero_code import Replaced, replace, restore, zero_code

__all__ = ["install", "is_installed", "uninstall"]

_replaced: list[Replaced] = []


def install() -> None:
    if _replaced:
        return
    import asyncpg
    import asyncpg.connection
    import asyncpg.pool

    ensure_funnels("zero-code", only="asyncpg")
    pool = zero_code(asyncpg.pool.create_pool, awaited=False)
    _replaced.append(replace(asyncpg, "connect", zero_code(asyncpg.connection.connect, awaited=True)))
    _replaced.append(replace(asyncpg, "create_pool", pool))
    _replaced.append(replace(asyncpg.pool, "create_pool", pool))


def uninstall() -> None:
    if _replaced:
        restore(_replaced)
        release_funnel("asyncpg", "zero-code")


def is_installed() -> bool:
    return bool(_replaced)
