"""forksafe: database connections that are safe across process forks.

``forksafe.connect(driver.connect, *args, **kwargs)`` returns a DB-API 2.0 connection that opens
nothing until used and is always the current process's own: a forked child gets a new session at
first use, and the one it inherited is cut off from the server so the parent's session survives
whatever the child does. See README.md and docs/.
"""

from __future__ import annotations

from ._connect import connect
from ._drivers import DriverAdapter, register_driver
from ._fork import check_pid
from ._policy import get_on_fork, set_on_fork
from ._proxy import Connection, Cursor
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

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Any

    from ._async import connect_async
    from ._audit.record import report_forks
    from ._patch import is_patched, patch, patched_names, unpatch
    from ._pool import Pool
    from ._types import DBAPIConnection, DBAPICursor

# Imported on first use (PEP 562): every interpreter that imports forksafe (spawn workers, each
# process under ``forksafe run``) pays only for what it uses.
_LAZY = {
    "connect_async": "._async",
    "Pool": "._pool", "patch": "._patch", "unpatch": "._patch", "is_patched": "._patch",
    "patched_names": "._patch", "DBAPIConnection": "._types", "DBAPICursor": "._types",
    "report_forks": "._audit.record",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'forksafe' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value

__version__ = "0.1.0"

__all__ = [
    "Connection",
    "ConnectionClosedError",
    "Cursor",
    "DBAPIConnection",
    "DBAPICursor",
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
    "connect_async",
    "get_on_fork",
    "is_patched",
    "patch",
    "patched_names",
    "register_driver",
    "report_forks",
    "set_on_fork",
    "unpatch",
]

