"""Open a driver connection and lease what it talks through: the one way every layer opens one.

The adapter's exact answer wins (its ``fds``, SQLite's own ``files``); without one, or when it
cannot tell (mysql-connector's C extension hides its socket), descriptor tracking (``_fds``)
finds what the connect call opened. Listing /proc/self/fd costs ~20 us, against a connect's
0.6 to 11 ms (docs/evidence.md, "Connect times").
"""

from __future__ import annotations

import _thread  # threading's own primitives; importing threading itself costs ~3 ms (docs/benchmarks.md)
import os

from . import _fds, _fork
from ._drivers import DriverAdapter, adapter_for_connection, all_adapters
from ._log import get_logger
from ._quarantine import Lease, LeaseInfo
from ._recipe import Recipe

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Any

__all__ = ["open_leased", "wants_driver_object"]

_local = _thread._local()  # threading.local
_log = get_logger("forksafe.fork")


def wants_driver_object() -> bool:
    """True while forksafe itself opens a connection that must be the driver's own object (a
    pool's factory): zero-code wrappers then step aside instead of returning a forksafe one."""
    return bool(getattr(_local, "raw", False))


def open_leased(recipe: Recipe, origin: str, kind: str = "connection", *,
                driver_object: bool = False) -> tuple[Any, Lease, DriverAdapter | None]:
    """(the driver connection, its lease, the adapter that describes it).

    ``driver_object``: the caller keeps the connection per process itself (the pool), so a
    zero-code wrapper inside ``recipe`` must give it the driver's own object.
    """
    before = _fds.snapshot()
    previous = getattr(_local, "raw", False)
    _local.raw = driver_object
    try:
        raw = recipe.open()
    finally:
        _local.raw = previous
    adapter = recipe.adapter or adapter_for_connection(raw)
    info = LeaseInfo(recipe.label, kind, origin, os.getpid())
    if recipe.in_process:
        return raw, Lease(info=info), adapter  # lives in the process: nothing shared to cut off
    fds: list[int] = []
    if adapter is not None and adapter.fds is not None:
        try:
            fds = adapter.fds(raw)
        except Exception:
            fds = []
    paths = recipe.files()
    if not fds and not paths:
        fds, paths = _fds.opened_since(before, raw)
    refresh = adapter.fds if adapter is not None and adapter.may_reconnect else None
    return raw, Lease(fds, paths=paths, info=info, owner=raw, refresh=refresh), adapter


# -- driver-level pools ---------------------------------------------------------------------------
# A driver that pools connections itself (mysql-connector's ``pool_name``) would hand a forked
# child one of the parent's idle sessions. Each adapter's ``child_reset`` empties those pools in
# the child, after the quarantine (registered before this step), cutting each pooled socket first.

def _cut(fd: int) -> None:
    Lease([fd]).quarantine()


def _reset_driver_pools() -> None:
    for adapter in all_adapters():
        if adapter.child_reset is None:
            continue
        try:
            adapter.child_reset(_cut)
        except Exception:  # isolated: one driver's reset must not stop another's
            _log.exception("forksafe: resetting %s's own pools in process %d failed", adapter.name,
                           os.getpid())


_fork.on_child(_reset_driver_pools)
