"""forksafe: database connections that are safe across process forks.

``forksafe.connect(driver.connect, *args, **kwargs)`` returns a DB-API 2.0 connection that opens
nothing until used and is always the current process's own: a forked child gets a new session at
first use, and the one it inherited is cut off from the server so the parent's session survives
whatever the child does. See README.md and docs/.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from ._connect import connect
from ._fork import check_pid
from ._policy import get_on_fork, set_on_fork
from ._proxy import Connection, Cursor
from .drivers import DriverAdapter, register_driver
from .errors import (
    ConnectionClosedError,
    ForkedConnectionError,
    ForkSafeError,
    ForkSafetyWarning,
    PoolClosed,
    PoolError,
    PoolReturnError,
    PoolTimeout,
)

if TYPE_CHECKING:
    from ._patch import is_patched, patch, patched_names, unpatch
    from .pool import Pool

# A library logs, the application decides where it goes (no "No handlers" fallback to stderr).
logging.getLogger("forksafe").addHandler(logging.NullHandler())

# Imported on first use (PEP 562): every interpreter that imports forksafe (spawn workers, each
# process under ``forksafe run``) pays only for what it uses.
_LAZY = {
    "Pool": ".pool", "patch": "._patch", "unpatch": "._patch", "is_patched": "._patch",
    "patched_names": "._patch",
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
    "set_on_fork",
    "unpatch",
]

