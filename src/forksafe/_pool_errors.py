"""The errors :class:`forksafe.Pool` raises itself.

Driver errors (a server that is down, wrong credentials, SQL errors) are never wrapped: a pool
that cannot open a connection raises what the driver raised, so ``except
psycopg2.OperationalError`` keeps working. Only what the driver cannot know about (the pool's
cap, its lifecycle, a connection handed back wrongly) gets a type of ours.
"""

from __future__ import annotations

from .errors import ForkSafeError

__all__ = ["PoolClosed", "PoolError", "PoolReturnError", "PoolTimeout"]


class PoolError(ForkSafeError):
    """Base class of the pool's own errors."""


class PoolTimeout(PoolError, TimeoutError):
    """No connection became available within the timeout: every one of ``max_size`` is in use.

    A ``TimeoutError`` too, so code written for other pools' timeouts catches it.
    """


class PoolClosed(PoolError):
    """The pool was closed with ``close()`` and hands out nothing more."""


class PoolReturnError(PoolError, ValueError):
    """``putconn`` got a connection this pool did not lend out: returned twice, or another pool's."""
