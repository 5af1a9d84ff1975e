"""``forksafe.connect``: pick the connection that fits the driver, from the recipe."""

from __future__ import annotations

from ._drivers import adapter_for_function
from ._origin import capture
from ._policy import validate
from ._proxy import Connection
from ._recipe import Recipe

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

    from ._policy import OnFork
    from ._types import C

__all__ = ["connect", "rebuild"]


def connect(connect_fn: Callable[..., C], *args: Any, on_fork: Optional[str] = None, **kwargs: Any) -> C:
    """Return a fork-safe DB-API connection that calls ``connect_fn(*args, **kwargs)`` when needed.

    Each process that uses it gets its own driver connection, opened at first use. ``on_fork``
    (``reconnect``, ``raise`` or ``warn``) overrides the process-wide policy for this connection.
    Keyword arguments other than ``on_fork`` go to ``connect_fn`` untouched.

    For psycopg2 the result is a real ``psycopg2.extensions.connection`` subclass (its C
    functions accept nothing else) opened at once; for every other driver it is a
    :class:`Connection` proxy that opens nothing until used. Its type, to a type checker, is what
    ``connect_fn`` returns: the proxy passes ``isinstance`` for the driver's class and forwards
    every attribute, so code typed against the driver keeps type-checking.
    """
    if not callable(connect_fn):
        raise TypeError(
            "forksafe.connect needs the driver's connect function first, for example "
            f"forksafe.connect(psycopg2.connect, dsn); got {type(connect_fn).__name__} instead"
        )
    from ._async_drivers import is_async_factory  # here: keeps it out of `import forksafe`

    if is_async_factory(connect_fn):
        raise TypeError(
            f"{getattr(connect_fn, '__qualname__', connect_fn)!s} is an async driver's: use "
            "forksafe.connect_async(...) with the same arguments (its methods are awaited)"
        )
    policy = validate(on_fork) if on_fork is not None else None
    conn: C = _make(Recipe(connect_fn, args, kwargs, adapter_for_function(connect_fn)), policy, capture(2))
    return conn


def _make(recipe: Recipe, policy: Optional[OnFork], origin: str) -> Any:
    adapter = recipe.adapter
    if adapter is not None and adapter.native_class:
        from ._native import build

        return build(recipe, origin, policy)
    return Connection(recipe, on_fork=policy, origin=origin)


def rebuild(connect_fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
            on_fork: Optional[OnFork]) -> Any:
    """Unpickling: the receiving process makes its own connection from the recipe."""
    return _make(Recipe(connect_fn, args, kwargs, adapter_for_function(connect_fn)), on_fork, capture(2))
