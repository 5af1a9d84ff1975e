"""What a proxy's attribute stands for before its connection is open in the current event loop.

A proxy cannot open synchronously, so ``conn.fetchval`` on one not yet open returns a
:class:`Later`, resolved at the first ``await``, ``async with`` or ``async for``; a call of it is a
:class:`LaterCall`, which asyncio also takes for a coroutine (``asyncio.run(conn.fetchval(...))``).
"""

from __future__ import annotations

import collections.abc
import functools
import inspect
from typing import Any, Awaitable, Callable, Generator

__all__ = ["DONE", "Done", "Later", "LaterCall", "nothing"]

_set = object.__setattr__

class Done:
    """An awaitable that is already done: what a no-op close or commit returns. A coroutine as
    far as asyncio is concerned (``asyncio.run(conn.close())``), and harmless if never awaited
    (aiomysql's ``close()`` is not a coroutine)."""

    __slots__ = ()

    def __await__(self) -> Generator[Any, None, None]:
        return
        yield  # pragma: no cover  (makes this a generator)

    def send(self, value: Any) -> Any:
        raise StopIteration(None)

    def throw(self, *exc: Any) -> Any:
        raise exc[1] if len(exc) > 1 and exc[1] is not None else exc[0]

    def close(self) -> None:
        return None

    def __repr__(self) -> str:
        return "<forksafe: nothing to do>"


DONE = Done()


def nothing(*args: Any, **kwargs: Any) -> Done:
    return DONE


class Later:
    """An attribute (or call) of a proxy not yet open in this event loop, resolved when awaited.

    Each node is resolved at most once and remembers its value, so ``cur = conn.cursor()`` then
    ``await cur.execute(...)`` and ``await cur.fetchone()`` use one cursor; once resolved, a
    node's attributes are the real object's.
    """

    __slots__ = ("_cm", "_co", "_done", "_get", "_value", "_what")

    def __init__(self, get: Callable[[], Awaitable[Any]], what: str) -> None:
        _set(self, "_get", get)
        _set(self, "_what", what)
        _set(self, "_done", False)
        _set(self, "_value", None)
        _set(self, "_cm", None)
        _set(self, "_co", None)

    async def _resolve(self) -> Any:
        if not self._done:
            value = await self._get()
            _set(self, "_value", value)
            _set(self, "_done", True)
        return self._value

    async def _attribute(self, name: str) -> Any:
        return getattr(await self._resolve(), name)

    async def _call(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        return (await self._resolve())(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if self._done:
            return getattr(self._value, name)
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Later(functools.partial(self._attribute, name), f"{self._what}.{name}")

    def __setattr__(self, name: str, value: Any) -> None:
        if not self._done:
            raise TypeError(f"{self._what} is not open in this event loop yet: await it first")
        setattr(self._value, name, value)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._done:
            return self._value(*args, **kwargs)
        return LaterCall(functools.partial(self._call, args, kwargs), f"{self._what}()")

    def __await__(self) -> Generator[Any, None, Any]:
        return self._awaited().__await__()

    async def _awaited(self) -> Any:
        value = await self._resolve()
        if inspect.isawaitable(value):
            value = await value
        return value

    async def __aenter__(self) -> Any:
        value = await self._resolve()
        if not hasattr(type(value), "__aenter__") and inspect.isawaitable(value):
            value = await value
        _set(self, "_cm", value)
        return await value.__aenter__()

    async def __aexit__(self, *exc: Any) -> Any:
        return await self._cm.__aexit__(*exc)

    def __aiter__(self) -> Any:
        return self._iterate()

    async def _iterate(self) -> Any:
        value = await self._resolve()
        if not hasattr(type(value), "__aiter__") and inspect.isawaitable(value):
            value = await value
        async for item in value:
            yield item

    def __bool__(self) -> bool:
        raise TypeError(
            f"{self._what} needs this event loop's connection, which is not open yet. Await a query "
            "first, or open it explicitly with `await conn` (forksafe.connect_async opens lazily)."
        )

    def __repr__(self) -> str:
        return f"<forksafe: {self._what}, resolved when awaited>"


class LaterCall(Later):
    """A call, such as ``conn.fetchval(...)``: also a coroutine as far as asyncio is concerned,
    so ``asyncio.run(conn.fetchval(...))`` and ``create_task`` take it as they take the driver's.

    ``send``/``throw`` drive one awaiting of it. ``close`` is the coroutine's once that started;
    before, it is the attribute of the call's result (``cur = conn.cursor(); await cur.close()``).
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith(("cr_", "gi_")):  # asyncio's introspection of a coroutine
            return getattr(self._driver(), name)
        return super().__getattr__(name)

    def _driver(self) -> Any:
        if self._co is None:
            _set(self, "_co", self._awaited())
        return self._co

    def __await__(self) -> Generator[Any, None, Any]:
        return self._driver().__await__()  # type: ignore[no-any-return]

    def send(self, value: Any) -> Any:
        return self._driver().send(value)

    def throw(self, *exc: Any) -> Any:
        return self._driver().throw(*exc)

    def close(self, *args: Any, **kwargs: Any) -> Any:
        if self._co is not None:
            return self._co.close()
        return self.__getattr__("close")(*args, **kwargs)


collections.abc.Coroutine.register(LaterCall)
collections.abc.Coroutine.register(Done)
