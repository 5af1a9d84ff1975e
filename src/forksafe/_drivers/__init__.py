"""The driver registry: the built-in adapters plus whatever users add with :func:`register_driver`.

Pure driver knowledge: nothing here imports the rest of forksafe, nor any driver.
"""

from __future__ import annotations

import _thread  # threading's own primitives; importing threading itself costs ~3 ms (docs/benchmarks.md)
import sys

from .base import DriverAdapter
from .builtin import BUILTIN

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

__all__ = [
    "DriverAdapter", "adapter_for_connection", "adapter_for_function", "all_adapters", "register_driver",
    "unwrap",
]

_lock = _thread.allocate_lock()
_by_module: dict[str, DriverAdapter] = {}
_adapters: list[DriverAdapter] = []


def _top(module: Optional[str]) -> str:
    return (module or "").split(".", 1)[0]


def _add(adapter: DriverAdapter) -> DriverAdapter:
    with _lock:
        _adapters[:] = [a for a in _adapters if a.name != adapter.name]
        _adapters.append(adapter)
        for module in adapter.modules:
            _by_module[module] = adapter
    return adapter


def register_driver(name: str, *, modules: tuple[str, ...], **knowledge: Any) -> DriverAdapter:
    """Teach forksafe about a driver it has no adapter for (or replace a built-in one).

    Only ``name`` and ``modules`` are required; every other field of :class:`DriverAdapter`
    (``fds``, ``in_transaction``, ``session_methods``, ...) sharpens what the general mechanism
    already does. See ``docs/drivers.md``.
    """
    if "connect_functions" in knowledge:
        knowledge["connect_functions"] = tuple(knowledge["connect_functions"])
    return _add(DriverAdapter(name, tuple(modules), **knowledge))


def unwrap(fn: Any) -> Any:
    """The function under ``functools.partial`` and ``__wrapped__`` layers (zero-code wrappers)."""
    functools = sys.modules.get("functools")  # not imported here (~2 ms): no partial exists without it
    while True:
        if functools is not None and isinstance(fn, functools.partial):
            fn = fn.func
        elif hasattr(fn, "__wrapped__"):
            fn = fn.__wrapped__
        else:
            return fn


def adapter_for_function(connect_fn: Callable[..., Any]) -> Optional[DriverAdapter]:
    fn = unwrap(connect_fn)
    module = getattr(fn, "__module__", None)
    if module is None and hasattr(fn, "__self__"):
        module = getattr(fn.__self__, "__module__", None)
    return _by_module.get(_top(module))


def adapter_for_connection(conn: Any) -> Optional[DriverAdapter]:
    return _by_module.get(_top(type(conn).__module__))


def all_adapters() -> list[DriverAdapter]:
    return list(_adapters)


for _adapter in BUILTIN:
    _add(_adapter)
