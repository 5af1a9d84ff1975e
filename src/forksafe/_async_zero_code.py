"""Zero-code mode for the async drivers: their own names hand out forksafe proxies.

The integrations (``forksafe.integrations.asyncpg`` and friends) replace a driver's factories with
:func:`zero_code` stand-ins, and put back exactly what they replaced with :func:`restore`.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, NamedTuple

from ._async import make, opening_raw
from ._origin import capture

__all__ = ["Replaced", "replace", "restore", "zero_code"]

class Replaced(NamedTuple):
    """One attribute zero-code mode replaced: enough to put back exactly what was there."""

    owner: Any
    name: str
    had: bool  # was it in the owner's own __dict__ (else inherited, or missing)?
    value: Any


def replace(owner: Any, name: str, new: Any) -> Replaced:
    had = name in vars(owner)
    record = Replaced(owner, name, had, vars(owner)[name] if had else None)
    setattr(owner, name, new)
    return record


def restore(records: list[Replaced]) -> None:
    """Undo ``replace`` calls, newest first, and forget them."""
    while records:
        record = records.pop()
        if record.had:
            setattr(record.owner, record.name, record.value)
        else:
            delattr(record.owner, record.name)


def zero_code(original: Callable[..., Any], *, awaited: bool,
              step_aside: Callable[[], bool] = opening_raw) -> Callable[..., Any]:
    """A stand-in for a driver factory that returns forksafe proxies.

    ``awaited``: the original is a coroutine function (``await asyncpg.connect(...)``): the
    stand-in is one too, opens the proxy in the caller's loop (so connection errors surface at
    the call, as with the driver) and returns it. Otherwise (``asyncpg.create_pool``,
    ``aiomysql.connect``) it returns the proxy at once, which is awaitable and an async context
    manager like the driver's object. ``step_aside()`` true: hand back the driver's own object
    (forksafe itself or a pool is making one).
    """
    if awaited:
        @functools.wraps(original)
        async def opened(*args: Any, **kwargs: Any) -> Any:
            if step_aside():
                return await original(*args, **kwargs)
            proxy = make(original, args, kwargs, None, capture(2))
            await proxy._fs_open()
            return proxy

        stand_in: Callable[..., Any] = opened
    else:
        @functools.wraps(original)
        def lazy(*args: Any, **kwargs: Any) -> Any:
            if step_aside():
                return original(*args, **kwargs)
            return make(original, args, kwargs, None, capture(2))

        stand_in = lazy
    stand_in.__forksafe_original__ = original  # type: ignore[attr-defined]
    return stand_in

