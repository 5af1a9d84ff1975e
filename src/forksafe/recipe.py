"""How to make a connection: the connect function and its arguments, never a socket.

A recipe is what crosses process boundaries: forksafe connections pickle as their recipe, so a
spawn or forkserver child (or a ``ProcessPoolExecutor`` worker) rebuilds its own connection.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ._redact import redact_call
from .drivers import DriverAdapter, adapter_for_function


class Recipe:
    __slots__ = ("args", "connect_fn", "kwargs")

    def __init__(self, connect_fn: Callable[..., Any], args: tuple[Any, ...] = (),
                 kwargs: Optional[dict[str, Any]] = None) -> None:
        self.connect_fn = connect_fn
        self.args = args
        self.kwargs: dict[str, Any] = kwargs if kwargs is not None else {}

    def open(self) -> Any:
        return self.connect_fn(*self.args, **self.kwargs)

    @property
    def adapter(self) -> Optional[DriverAdapter]:
        return adapter_for_function(self.connect_fn)

    @property
    def label(self) -> str:
        adapter = self.adapter
        if adapter is not None:
            return adapter.name
        fn = self.connect_fn
        return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', type(fn).__name__)}"

    def __repr__(self) -> str:
        return f"{self.label}({redact_call(self.args, self.kwargs)})"
