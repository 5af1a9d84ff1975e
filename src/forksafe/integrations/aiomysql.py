"""aiomysql under zero-code mode: ``aiomysql.connect`` and ``aiomysql.create_pool`` hand out
forksafe proxies (see ``forksafe.connect_async``), and every connection aiomysql makes is leased,
its reconnects (``ping(reconnect=True)``) included.

``install()`` is also the explicit, one-call way in for programs that do not use zero-code mode.
The names inside ``aiomysql.connection`` and ``aiomysql.pool`` stay the driver's: its pools call
them, and a pool must hold the driver's connections, not proxies.
"""

from __future__ import annotations

from .._async_leases import ensure_funnels, release_funnel
from .._async_zero_code import Replaced, replace, restore, zero_code

__all__ = ["install", "is_installed", "uninstall"]

_replaced: list[Replaced] = []


def install() -> None:
    if _replaced:
        return
    import aiomysql
    import aiomysql.connection
    import aiomysql.pool

    ensure_funnels("zero-code", only="aiomysql")
    _replaced.append(replace(aiomysql, "connect", zero_code(aiomysql.connection.connect, awaited=False)))
    _replaced.append(replace(aiomysql, "create_pool", zero_code(aiomysql.pool.create_pool, awaited=False)))


def uninstall() -> None:
    if _replaced:
        restore(_replaced)
        release_funnel("aiomysql", "zero-code")


def is_installed() -> bool:
    return bool(_replaced)
