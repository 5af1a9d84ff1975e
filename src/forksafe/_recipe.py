"""How to make a connection: the connect function, its arguments and what is known of the driver.

A recipe is what crosses process boundaries: forksafe connections pickle as their recipe, so a
spawn or forkserver child (or a ``ProcessPoolExecutor`` worker) rebuilds its own connection. It
never holds a socket, and its repr never shows a secret.
"""

from __future__ import annotations

from ._drivers import DriverAdapter, unwrap

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

__all__ = ["Recipe"]


class Recipe:
    __slots__ = ("adapter", "args", "connect_fn", "kwargs")

    def __init__(self, connect_fn: Callable[..., Any], args: tuple[Any, ...] = (),
                 kwargs: Optional[dict[str, Any]] = None, adapter: Optional[DriverAdapter] = None) -> None:
        self.connect_fn = connect_fn
        self.args = args
        self.kwargs: dict[str, Any] = kwargs if kwargs is not None else {}
        self.adapter = adapter

    def open(self) -> Any:
        return self.connect_fn(*self.args, **self.kwargs)

    @property
    def label(self) -> str:
        if self.adapter is not None:
            return self.adapter.name
        fn = self.connect_fn
        return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', type(fn).__name__)}"

    @property
    def in_process(self) -> bool:
        """The database lives in the process (SQLite ``:memory:``): nothing to share or reconnect."""
        check = self.adapter.in_process if self.adapter is not None else None
        return bool(check is not None and check(self.args, self.kwargs))

    def files(self) -> list[str]:
        check = self.adapter.files if self.adapter is not None else None
        return check(self.args, self.kwargs) if check is not None else []

    def connection_class(self) -> Optional[type]:
        """The class the connect call returns, known without connecting (None: unknown)."""
        guess = self.adapter.connection_class if self.adapter is not None else None
        if guess is None:
            return None
        try:
            return guess(unwrap(self.connect_fn), self.args, self.kwargs)
        except Exception:
            return None

    def __repr__(self) -> str:
        from ._redact import redact_call  # imported when first needed: its regexes load re (~5 ms)

        secret = self.adapter.secret_positions if self.adapter is not None else ()
        return f"{self.label}({redact_call(self.args, self.kwargs, secret)})"
