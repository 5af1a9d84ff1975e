"""The driver registry: built-in adapters plus whatever users add with :func:`register_driver`."""

from __future__ import annotations

import functools
import threading
from typing import Any, Callable, Optional

from .base import DriverAdapter

__all__ = [
    "DriverAdapter", "adapter_for_connection", "adapter_for_function", "all_adapters", "register_driver",
]

_lock = threading.Lock()
_by_module: dict[str, DriverAdapter] = {}
_adapters: list[DriverAdapter] = []


def _top(module: Optional[str]) -> str:
    return (module or "").split(".", 1)[0]


def register_driver(
    name: str,
    *,
    modules: tuple[str, ...],
    connect_functions: tuple[str, ...] = (),
    fds: Optional[Callable[[Any], list[int]]] = None,
    in_transaction: Optional[Callable[[Any], Optional[bool]]] = None,
    is_closed: Optional[Callable[[Any], bool]] = None,
    ping: Optional[Callable[[Any], None]] = None,
    build: Optional[Callable[..., Any]] = None,
) -> DriverAdapter:
    """Teach forksafe about a driver it has no adapter for (or replace a built-in one).

    Only ``name`` and ``modules`` are required; every function sharpens what the general mechanism
    already does. See ``docs/drivers.md``.
    """
    adapter = DriverAdapter(name, tuple(modules), tuple(connect_functions), fds, in_transaction,
                            is_closed, ping, build)
    with _lock:
        _adapters[:] = [a for a in _adapters if a.name != name]
        _adapters.append(adapter)
        for module in adapter.modules:
            _by_module[module] = adapter
    return adapter


def _unwrap(fn: Any) -> Any:
    while True:
        if isinstance(fn, functools.partial):
            fn = fn.func
        elif hasattr(fn, "__wrapped__"):
            fn = fn.__wrapped__
        else:
            return fn


def adapter_for_function(connect_fn: Callable[..., Any]) -> Optional[DriverAdapter]:
    fn = _unwrap(connect_fn)
    module = getattr(fn, "__module__", None)
    if module is None and hasattr(fn, "__self__"):
        module = getattr(fn.__self__, "__module__", None)
    return _by_module.get(_top(module))


def adapter_for_connection(conn: Any) -> Optional[DriverAdapter]:
    return _by_module.get(_top(type(conn).__module__))


def all_adapters() -> list[DriverAdapter]:
    return list(_adapters)


from . import builtin as _builtin  # noqa: E402  (registers the built-in adapters)

_builtin.register_all(register_driver)
