"""forksafe: database connections that are safe across process forks.

``forksafe.connect(driver.connect, *args, **kwargs)`` returns a DB-API 2.0 connection that opens
nothing until used and is always the current process's own: a forked child gets a new session at
first use, and the one it inherited is cut off from the server so the parent's session survives
whatever the child does. See README.md and docs/.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Callable, Optional

from ._fork import check_pid
from ._origin import capture
from .connection import Connection, Cursor
from .drivers import DriverAdapter, register_driver
from .errors import ConnectionClosedError, ForkedConnectionError, ForkSafeError, ForkSafetyWarning
from .policy import get_on_fork, set_on_fork, validate
from .recipe import Recipe

if TYPE_CHECKING:
    from ._audit.record import report_forks
    from ._patch import is_patched, patch, patched_names, unpatch
    from .pool import Pool, PoolClosed, PoolError, PoolReturnError, PoolTimeout

# Imported on first use (PEP 562): every interpreter that imports forksafe (spawn workers, each
# process under ``forksafe run``) pays only for what it uses.
_LAZY = {
    "Pool": ".pool", "PoolClosed": ".pool", "PoolError": ".pool", "PoolReturnError": ".pool",
    "PoolTimeout": ".pool", "patch": "._patch", "unpatch": "._patch", "is_patched": "._patch",
    "patched_names": "._patch", "report_forks": "._audit.record",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'forksafe' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value

__version__ = "0.1.0"

__all__ = [
    "Connection",
    "ConnectionClosedError",
    "Cursor",
    "DriverAdapter",
    "ForkSafeError",
    "ForkSafetyWarning",
    "ForkedConnectionError",
    "Pool",
    "PoolClosed",
    "PoolError",
    "PoolReturnError",
    "PoolTimeout",
    "__version__",
    "check_pid",
    "connect",
    "get_on_fork",
    "is_patched",
    "patch",
    "patched_names",
    "register_driver",
    "report_forks",
    "set_on_fork",
    "unpatch",
]


def connect(connect_fn: Callable[..., Any], *args: Any, on_fork: Optional[str] = None, **kwargs: Any) -> Any:
    """Return a fork-safe DB-API connection that calls ``connect_fn(*args, **kwargs)`` when needed.

    Each process that uses it gets its own driver connection, opened at first use. ``on_fork``
    (``reconnect``, ``raise`` or ``warn``) overrides the process-wide policy for this connection.
    Keyword arguments other than ``on_fork`` go to ``connect_fn`` untouched.

    For psycopg2 the result is a real ``psycopg2.extensions.connection`` subclass (its C
    functions accept nothing else) opened at once; for every other driver it is a
    :class:`Connection` proxy.
    """
    if not callable(connect_fn):
        raise TypeError(
            "forksafe.connect needs the driver's connect function first, for example "
            f"forksafe.connect(psycopg2.connect, dsn); got {type(connect_fn).__name__} instead"
        )
    policy = validate(on_fork) if on_fork is not None else None
    recipe = Recipe(connect_fn, args, kwargs)
    origin = capture(2)
    adapter = recipe.adapter
    if adapter is not None and adapter.build is not None:
        return adapter.build(recipe, origin, policy)
    return Connection(recipe, on_fork=policy, origin=origin)
