"""Async connections and pools that are the current process's own, per event loop.

``forksafe.connect_async(factory, *args, **kwargs)`` returns an :class:`AsyncProxy`: a lazy
stand-in for what ``await factory(*args, **kwargs)`` would give (an asyncpg or aiomysql
connection or pool, a psycopg ``AsyncConnection``, a psycopg_pool ``AsyncConnectionPool``).

**Per process and per event loop.** The proxy keeps one driver object per event loop of the
current generation (``_fork.state.generation``). The first use in a loop opens that loop's own;
later uses are one dictionary lookup. Async drivers bind what they make to the loop that made it
(transports, futures, the pool's ``asyncio.Lock``), so a second ``asyncio.run`` in the same
process, or a forked child running its own loop, gets a new one rather than the driver's
"attached to a different loop" errors or a shared session.

**Across a fork.** The child's first use finds objects of an older generation: the policy
decision is the one state machine's (:meth:`Ownership.claim`, under its per-generation lock:
``reconnect``, ``warn`` or ``raise`` naming the ``file:line`` that made the proxy), then the
inherited objects are abandoned (:func:`~forksafe._quarantine.abandon`), never closed through
the driver: no Terminate, no COM_QUIT, no TLS close_notify, no pool worker cancelled or awaited.
Their sockets were already pointed at ``/dev/null`` by the at-fork quarantine, because every
connection these drivers make is leased when it is made (see *Leases* below). First use is
serialised per process and loop by an ``asyncio.Lock`` made per (generation, loop): coroutines
racing on it open one session, not one each.

**Event loops** (``_async_loops``). A loop the child inherits shares its epoll instance with the
parent; the child never closes one (it would unregister the loop's self-pipe from the parent's
epoll). Transports of leased connections are safe anyway: their descriptors point at
``/dev/null``, and epoll keys registrations by open file.

**Leases** (``_async_leases``). Each driver has a funnel every new connection passes through
(``_async_drivers``); the first open of any proxy wraps it, for every supported driver that is
imported, to lease the socket the moment the connection exists, in the driver's pools and on its
reconnects too. Zero-code mode (``_async_zero_code``, used by ``forksafe.integrations.asyncpg``
and friends) wraps it as well; the wrapper only adds a lease, which changes nothing in the process
that made the connection.

**Before it is open.** ``conn.fetchval`` on a proxy not yet open in this loop cannot open
synchronously; it returns an ``_async_later.Later``, resolved at the first ``await``,
``async with`` or ``async for``: ``await conn.fetchval(...)``, ``async with conn.cursor() as cur``,
``async with pool.acquire() as c`` and ``cur = conn.cursor(); await cur.execute(...)`` all work.
Once open, attributes are the driver's own.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import logging
import os
import sys
import threading
import types
from typing import Any, Callable, Generator, Optional

from ._async_drivers import HOT_METHODS, Factory, factory_for
from ._async_later import DONE, Later, nothing
from ._async_leases import ensure_funnels
from ._async_loops import seen_loops
from ._fork import check_pid, state
from ._origin import capture
from ._ownership import Ownership
from ._policy import OnFork, validate
from ._quarantine import abandon
from ._redact import redact_call
from .errors import ConnectionClosedError, closed_error

__all__ = ["AsyncProxy", "connect_async", "make", "opening_raw"]

_log = logging.getLogger("forksafe.async")
_set = object.__setattr__
_get_running_loop = asyncio._get_running_loop
_get_ident = threading.get_ident
_state = state

# Set while forksafe itself makes a driver object (and inherited by the tasks a pool starts
# meanwhile, psycopg_pool's workers): zero-code wrappers then hand back the driver's own object.
_opening: contextvars.ContextVar[bool] = contextvars.ContextVar("forksafe_async_opening", default=False)


def opening_raw() -> bool:
    """True while forksafe (or a pool it is opening) makes a driver object: step aside."""
    return _opening.get()


# -- the recipe ------------------------------------------------------------------------------------

class _Recipe:
    """How to make the driver object: the factory and its arguments, never a socket."""

    __slots__ = ("args", "factory", "kwargs", "spec")

    def __init__(self, factory: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                 spec: Optional[Factory]) -> None:
        self.factory = factory
        self.args = args
        self.kwargs = kwargs
        self.spec = spec

    async def open(self) -> Any:
        token = _opening.set(True)
        try:
            if self.spec is not None and self.spec.construct:
                # psycopg_pool: constructed closed (opening in the constructor is deprecated in
                # async code), then opened in this loop. object.__new__ skips a zero-code __new__.
                cls: type = self.factory  # type: ignore[assignment]
                obj: Any = object.__new__(cls)
                obj.__init__(*self.args, **dict(self.kwargs, open=False))
                await obj.open()
                return obj
            result = self.factory(*self.args, **self.kwargs)
            if inspect.isawaitable(result):
                result = await result
            return result
        finally:
            _opening.reset(token)

    @property
    def label(self) -> str:
        if self.spec is not None:
            return self.spec.driver
        fn = getattr(self.factory, "__func__", self.factory)
        return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', type(fn).__name__)}"

    @property
    def kind(self) -> str:
        return self.spec.kind if self.spec is not None else "connection"

    def produces(self) -> Optional[type]:
        """The class the factory makes, known without opening (for ``isinstance``)."""
        if isinstance(self.factory, type):
            return self.factory
        owner = getattr(self.factory, "__self__", None)  # psycopg: AsyncConnection.connect
        if isinstance(owner, type):
            return owner
        given = self.kwargs.get("connection_class")  # asyncpg.connect(connection_class=...)
        if isinstance(given, type) and self.kind == "connection":
            return given
        if self.spec is None or not self.spec.produces:
            return None
        module, _, name = self.spec.produces.rpartition(".")
        found = getattr(sys.modules.get(module), name, None)  # loaded: the user passed its factory
        return found if isinstance(found, type) else None

    def __repr__(self) -> str:
        return f"{self.label}({redact_call(self.args, self.kwargs)})"


# -- the proxy -------------------------------------------------------------------------------------

_ENDS_TRANSACTION = frozenset({"commit", "rollback"})


class _Nowhere:
    """Stands for "no loop used yet": runs in no thread."""

    _thread_id = None


_NOWHERE = (_Nowhere(), None)


class AsyncProxy:
    """A driver connection or pool that is always this process's and this event loop's own."""

    __slots__ = (
        "__weakref__", "_fs_closed", "_fs_gen", "_fs_here", "_fs_last", "_fs_openers", "_fs_own",
        "_fs_recipe", "_fs_settings",
    )

    def __init__(self, recipe: _Recipe, own: Ownership) -> None:
        _set(self, "_fs_recipe", recipe)
        _set(self, "_fs_own", own)
        _set(self, "_fs_gen", _state.generation)  # the generation _fs_here belongs to
        _set(self, "_fs_here", {})  # event loop -> this generation's driver object for it
        _set(self, "_fs_openers", {})  # event loop -> asyncio.Lock serialising its first use
        _set(self, "_fs_closed", False)
        _set(self, "_fs_settings", {})
        _set(self, "_fs_last", _NOWHERE)  # (loop, driver object) of the last use

    # -- the fast path ------------------------------------------------------------------------------
    # One generation compare, then: is the loop of the last use running in this thread? Then it is
    # the running loop (a thread runs one loop at a time). That costs an attribute read and
    # get_ident(), where asyncio's _get_running_loop() calls getpid() on CPython <= 3.11 (a system
    # call, ~0.2 us: a third of the proxy's cost per query).
    def __getattr__(self, name: str) -> Any:
        if self._fs_gen == _state.generation:
            loop, raw = self._fs_last
            if loop._thread_id == _get_ident():
                return getattr(raw, name)
            raw = self._fs_find()
            if raw is not None:
                return getattr(raw, name)
        return self._fs_not_open(name)

    def _fs_find(self) -> Any:
        """This generation's object for the running loop (remembered as the last use), or None."""
        loop = _get_running_loop()
        raw = self._fs_here.get(loop)
        if raw is not None and hasattr(loop, "_thread_id"):  # asyncio's loops (uvloop's: no)
            _set(self, "_fs_last", (loop, raw))
        return raw

    def _fs_not_open(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        if name.startswith("_fs_"):
            raise AttributeError(name)
        raw = self._fs_only_raw() if _get_running_loop() is None else None
        if raw is not None:
            return getattr(raw, name)  # sync code outside any loop: the one object there is
        if self._fs_closed:
            raise self._fs_closed_error()
        if name in _ENDS_TRANSACTION and self._fs_own.lenient():
            return nothing  # nothing was done on this loop's connection: nothing to end
        return Later(functools.partial(self._fs_attribute, name), f"{self._fs_recipe.label} {name}")

    async def _fs_attribute(self, name: str) -> Any:
        return getattr(await self._fs_open(), name)

    def _fs_raw_here(self) -> Any:
        if self._fs_gen != _state.generation:
            return None
        raw = self._fs_here.get(_get_running_loop())
        return raw if raw is not None else self._fs_only_raw()

    def _fs_only_raw(self) -> Any:
        if self._fs_gen == _state.generation and len(self._fs_here) == 1:
            for raw in self._fs_here.values():
                return raw
        return None

    # -- opening ----------------------------------------------------------------------------------
    async def _fs_open(self) -> Any:
        """This loop's driver object, opened on first use (policy first when it crossed a fork)."""
        loop = asyncio.get_running_loop()
        check_pid()
        own = self._fs_own
        with own.lock():
            self._fs_adopt_generation()
            opener = self._fs_openers.get(loop)
            if opener is None:
                opener = self._fs_openers[loop] = asyncio.Lock()
        async with opener:
            raw = self._fs_here.get(loop) if self._fs_gen == _state.generation else None
            if raw is not None:
                return raw
            if self._fs_closed:
                raise self._fs_closed_error()
            with own.lock():
                own.claim()  # the on-fork policy, once per process; raises under "raise"
            ensure_funnels("explicit")
            raw = await self._fs_recipe.open()
            try:
                for name, value in self._fs_settings.items():
                    setattr(raw, name, value)
            except BaseException:
                abandon(raw)
                raise
            with own.lock():
                self._fs_adopt_generation()
                self._fs_prune()
                self._fs_here[loop] = raw
            seen_loops.add(loop)
            return raw

    def _fs_adopt_generation(self) -> None:
        """Under the lock: a new process leaves everything it inherited, untouched and unclosed."""
        if self._fs_gen == _state.generation:
            return
        inherited = self._fs_here
        if inherited:
            abandon(*inherited.values(), *inherited.keys())  # sockets quarantined at fork
            _log.debug("process %d: abandoned %d inherited %s object(s) of %s", os.getpid(),
                       len(inherited), self._fs_recipe.label, self._fs_own.origin)
        _set(self, "_fs_here", {})
        _set(self, "_fs_openers", {})
        _set(self, "_fs_last", _NOWHERE)
        _set(self, "_fs_gen", _state.generation)

    def _fs_prune(self) -> None:
        """Forget objects of loops that are closed: nothing can close them any more. Dropping the
        last reference lets the driver's own finaliser (and the lease's) run, in this process."""
        for loop in [lp for lp in self._fs_here if lp.is_closed()]:
            del self._fs_here[loop]
            self._fs_openers.pop(loop, None)
            _set(self, "_fs_last", _NOWHERE)

    def _fs_closed_error(self) -> ConnectionClosedError:
        module = self._fs_recipe.spec.driver if self._fs_recipe.spec is not None else None
        return closed_error(module, f"{self._fs_own.describe()} was closed; make a new one with "
                                    "forksafe.connect_async(...)")

    # -- ending it ----------------------------------------------------------------------------------
    def _fs_end(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """close() and its kin: this loop's object only; an inherited one is left untouched."""
        check_pid()
        _set(self, "_fs_closed", True)
        if self._fs_gen != _state.generation:
            with self._fs_own.lock():
                self._fs_adopt_generation()
        raw = self._fs_raw_here()
        if raw is None:
            return DONE
        return getattr(raw, name)(*args, **kwargs)

    def close(self, *args: Any, **kwargs: Any) -> Any:
        return self._fs_end("close", args, kwargs)

    def terminate(self, *args: Any, **kwargs: Any) -> Any:
        return self._fs_end("terminate", args, kwargs)

    def ensure_closed(self, *args: Any, **kwargs: Any) -> Any:  # aiomysql
        return self._fs_end("ensure_closed", args, kwargs)

    def wait_closed(self, *args: Any, **kwargs: Any) -> Any:  # aiomysql pools
        return self._fs_end("wait_closed", args, kwargs)

    # -- awaiting and async with ------------------------------------------------------------------
    def __await__(self) -> Generator[Any, None, AsyncProxy]:
        """``await proxy`` opens it in this loop now (errors surface here) and gives it back."""
        return self._fs_opened().__await__()

    async def _fs_opened(self) -> AsyncProxy:
        await self._fs_open()
        return self

    async def __aenter__(self) -> Any:
        raw = await self._fs_open()
        if not hasattr(type(raw), "__aenter__"):
            raise TypeError(f"{type(raw).__qualname__} does not support `async with`")
        entered = await raw.__aenter__()
        return self if entered is raw else entered

    async def __aexit__(self, *exc: Any) -> Any:
        raw = self._fs_raw_here()
        _set(self, "_fs_closed", True)  # the driver's __aexit__ closes the object
        if raw is None:
            return None
        return await raw.__aexit__(*exc)

    # -- transparency -------------------------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        # Recorded so every loop's and process's object gets it; applied now where one is open.
        self._fs_settings[name] = value
        raw = self._fs_raw_here()
        if raw is not None:
            setattr(raw, name, value)

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        """``isinstance(conn, asyncpg.Connection)`` holds, as for the driver's object; answering
        it never opens anything."""
        raw = self._fs_raw_here()
        if raw is not None:
            return type(raw)
        return self._fs_recipe.produces() or AsyncProxy

    def __reduce__(self) -> tuple[Any, ...]:
        r = self._fs_recipe
        return (_rebuild, (r.factory, r.args, r.kwargs, self._fs_own.policy))

    def __repr__(self) -> str:
        if self._fs_closed:
            where = "closed"
        elif self._fs_raw_here() is not None:
            where = f"open in process {os.getpid()}"
        else:
            where = "not open in this event loop"
        recipe = self._fs_recipe
        return f"<forksafe async {recipe.kind} {recipe!r} {where}; made at {self._fs_own.origin}>"

    async def forksafe_raw(self) -> Any:
        """The driver object of this process and event loop, opened if needed."""
        return await self._fs_open()


def _rebuild(factory: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
             on_fork: Optional[OnFork]) -> AsyncProxy:
    return make(factory, args, kwargs, on_fork, capture(2))


# -- entry points ----------------------------------------------------------------------------------

def _unwrap(factory: Callable[..., Any]) -> Callable[..., Any]:
    """The driver's own factory behind a zero-code wrapper."""
    original = getattr(factory, "__forksafe_original__", None)
    if original is not None:
        return original  # type: ignore[no-any-return]
    func = getattr(factory, "__func__", None)
    original = getattr(func, "__forksafe_original__", None)
    if original is not None:  # a classmethod wrapper bound to its class
        return types.MethodType(original, factory.__self__)  # type: ignore[attr-defined]
    return factory


def make(factory: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
         on_fork: Optional[OnFork], origin: str) -> AsyncProxy:
    factory = _unwrap(factory)
    recipe = _Recipe(factory, args, kwargs, factory_for(factory))
    cls = _proxy_class(recipe.produces())
    return cls(recipe, Ownership(recipe.label, kind=recipe.kind, origin=origin, policy=on_fork))


def _forwarder(name: str) -> Callable[..., Any]:
    def method(self: AsyncProxy, *args: Any, **kwargs: Any) -> Any:
        if self._fs_gen == _state.generation:  # the fast path of AsyncProxy.__getattr__
            loop, raw = self._fs_last
            if loop._thread_id == _get_ident():
                return getattr(raw, name)(*args, **kwargs)
            raw = self._fs_find()
            if raw is not None:
                return getattr(raw, name)(*args, **kwargs)
        return self._fs_not_open(name)(*args, **kwargs)

    method.__name__ = method.__qualname__ = name
    return method


_proxy_classes: dict[type, type[AsyncProxy]] = {}


def _proxy_class(produces: Optional[type]) -> type[AsyncProxy]:
    """AsyncProxy with direct forwarders for the hot methods the driver's class has (see
    ``HOT_METHODS``); only those, so ``hasattr`` answers as for the driver's object."""
    if produces is None:
        return AsyncProxy
    cls = _proxy_classes.get(produces)
    if cls is None:
        methods: dict[str, Any] = {
            name: _forwarder(name) for name in HOT_METHODS if callable(getattr(produces, name, None))}
        methods["__slots__"] = ()
        cls = _proxy_classes[produces] = type("AsyncProxy", (AsyncProxy,), methods)
    return cls


def connect_async(factory: Callable[..., Any], *args: Any, on_fork: Optional[str] = None,
                  **kwargs: Any) -> AsyncProxy:
    """Return a fork-safe async connection or pool that ``factory(*args, **kwargs)`` makes when needed.

    ``factory`` is an async driver's connect or pool function (``asyncpg.connect``,
    ``asyncpg.create_pool``, ``psycopg.AsyncConnection.connect``,
    ``psycopg_pool.AsyncConnectionPool``, ``aiomysql.connect``, ``aiomysql.create_pool``). Nothing
    is opened here: each process and event loop opens its own at first use, or at ``await proxy``.
    ``on_fork`` (``reconnect``, ``raise`` or ``warn``) overrides the process-wide policy.
    """
    if not callable(factory):
        raise TypeError(
            "forksafe.connect_async needs the driver's connect or pool function first, for example "
            f"forksafe.connect_async(asyncpg.connect, dsn); got {type(factory).__name__} instead"
        )
    policy = validate(on_fork) if on_fork is not None else None
    return make(factory, args, kwargs, policy, capture(2))


