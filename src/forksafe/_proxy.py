"""The lazy, per-process DB-API connection: ``forksafe.connect`` for every driver without
``native_class`` (all but psycopg2).

A :class:`Connection` holds a recipe, not a socket. The first use in a process opens that
process's own driver connection; a fork bumps the generation, and the child's first use sees a
connection that belongs to an older generation, asks the state machine (``_ownership``) what
the policy says, and opens its own. The inherited one was already cut off from the server by
the at-fork quarantine (``_quarantine``), so dropping it is safe; it is never closed through
the driver. What the user set on the connection (attributes, the adapter's session methods) is
replayed on every new session (``_session``).

**What opens a connection.** Anything that needs the server or the driver object's state:
``cursor()``, ``execute``-style methods, ``commit()``/``rollback()`` once something was done,
reading a driver attribute that is a property (``conn.autocommit``, ``conn.server_version``),
calling a driver method. **What does not**: ``isinstance``/``type``/``__class__`` (the adapter
knows the class the connect call returns), ``repr``, ``dir``, ``hasattr`` or ``getattr`` of a
method or class attribute (a method is returned unopened and opens when called), attribute
writes (recorded, applied at open), ``commit``/``rollback``/``close`` before any use (nothing
to act on), pickling. For a driver without an adapter, reading any driver attribute opens.

Why a hand-written proxy rather than ``wrapt.ObjectProxy``: the target changes per process and
does not exist until first use, every DB-API entry point needs its own decision, and cursors
must be wrapped. What wrapt would add is the generic forwarding, which ``__getattr__`` does.
"""

from __future__ import annotations

import sys
from types import CodeType
from typing import Any, Callable, Iterator, Optional

from ._fork import check_pid, sampled_check, state
from ._origin import capture
from ._ownership import Ownership, forked_cursor_error
from ._policy import OnFork
from ._quarantine import Lease, abandon
from ._recipe import Recipe
from ._session import Session
from ._tracking import open_leased
from .errors import ConnectionClosedError, closed_error

__all__ = ["Connection", "Cursor"]

_state = state
_set = object.__setattr__
_MISSING = object()
# Connection methods that return a cursor in some drivers (psycopg 3, sqlite3).
_CURSOR_RETURNING = frozenset({"execute", "executemany", "executescript"})
_OWN_NAMES = ("cursor", "commit", "rollback", "close", "closed", "forksafe_raw", "forksafe_recipe")


class Connection:
    """A DB-API 2.0 connection that is always the current process's own. See ``forksafe.connect``."""

    __slots__ = (
        "__weakref__",
        "_fs_adapter",
        "_fs_class",
        "_fs_closed",
        "_fs_gen",
        "_fs_lease",
        "_fs_own",
        "_fs_raw",
        "_fs_recipe",
        "_fs_session",
        "_fs_spent",
    )

    def __init__(self, recipe: Recipe, *, on_fork: Optional[OnFork] = None, origin: str = "") -> None:
        _set(self, "_fs_recipe", recipe)
        _set(self, "_fs_adapter", recipe.adapter)
        _set(self, "_fs_own", Ownership(recipe.label, origin=origin or capture(2), policy=on_fork))
        _set(self, "_fs_raw", None)
        _set(self, "_fs_gen", -1)  # generation the raw connection belongs to; -1: none usable
        _set(self, "_fs_lease", None)
        _set(self, "_fs_closed", False)
        _set(self, "_fs_spent", None)  # the driver connection close() closed in this process
        _set(self, "_fs_session", Session())
        _set(self, "_fs_class", None)

    # -- the per-process switch ---------------------------------------------------------------
    def _fs_current(self) -> Any:
        if self._fs_gen == _state.generation:
            return self._fs_raw
        return self._fs_switch()

    def _fs_switch(self) -> Any:
        check_pid()
        own = self._fs_own
        with own.lock():
            if self._fs_gen == _state.generation:
                return self._fs_raw
            if self._fs_closed:
                raise self._fs_closed_error()
            inherited = self._fs_raw
            if inherited is not None and self._fs_recipe.in_process:
                own.keep()  # an in-memory database: the child's copy is its own
                _set(self, "_fs_gen", _state.generation)
                return inherited
            own.claim()  # the on-fork policy, once per process; raises under "raise"
            saved = None
            if inherited is not None:
                saved = self._fs_snapshot(inherited)
                abandon(inherited)  # already quarantined in the at-fork hook
                _set(self, "_fs_raw", None)
                _set(self, "_fs_lease", None)
            raw, lease, adapter = open_leased(self._fs_recipe, own.origin)
            try:
                if saved is not None and adapter is not None and adapter.restore is not None:
                    adapter.restore(raw, saved)
                self._fs_session.replay(raw)
            except BaseException:
                _close_new(raw, lease)
                raise
            _set(self, "_fs_raw", raw)
            _set(self, "_fs_lease", lease)
            _set(self, "_fs_adapter", adapter)
            _set(self, "_fs_gen", _state.generation)
            return raw

    def _fs_snapshot(self, inherited: Any) -> Any:
        adapter = self._fs_adapter
        if adapter is None or adapter.snapshot is None:
            return None
        try:
            return adapter.snapshot(inherited)
        except Exception:
            return None

    def _fs_closed_error(self) -> ConnectionClosedError:
        adapter = self._fs_adapter
        return closed_error(
            adapter.dbapi_module if adapter is not None else None,
            f"{self._fs_own.describe()} was closed with close(); make a new one with forksafe.connect(...)",
        )

    def _fs_nothing_to_end(self) -> bool:
        """No connection of this process yet: a commit or rollback has nothing to act on (unless
        strict mode must report this first use, or the child keeps an in-memory copy)."""
        if self._fs_closed:
            return False
        if self._fs_raw is not None and self._fs_recipe.in_process:
            return False
        return bool(self._fs_own.lenient())

    # -- DB-API --------------------------------------------------------------------------------
    def cursor(self, *args: Any, **kwargs: Any) -> Cursor:
        sampled_check()
        raw = self._fs_raw if self._fs_gen == _state.generation else self._fs_switch()
        frame = sys._getframe(1)
        return _new_cursor(raw.cursor(*args, **kwargs), self, frame.f_code, frame.f_lasti)

    def commit(self) -> None:
        if self._fs_gen == _state.generation:
            self._fs_raw.commit()
        elif not self._fs_nothing_to_end():
            self._fs_switch().commit()

    def rollback(self) -> None:
        if self._fs_gen == _state.generation:
            self._fs_raw.rollback()
        elif not self._fs_nothing_to_end():
            self._fs_switch().rollback()

    def close(self) -> None:
        """Close this process's connection. An inherited one is abandoned, never closed through
        its driver: that would end the parent's session. A second close behaves as the driver's."""
        check_pid()
        if self._fs_closed:
            spent = self._fs_spent
            if spent is not None:
                spent.close()  # whatever the driver does on a second close (raise or not)
            return
        raw, lease = self._fs_raw, self._fs_lease
        current = self._fs_gen == _state.generation or (raw is not None and self._fs_recipe.in_process)
        _set(self, "_fs_closed", True)
        _set(self, "_fs_gen", -1)
        _set(self, "_fs_raw", None)
        _set(self, "_fs_lease", None)
        if raw is None:
            return
        if current:
            if lease is not None:
                lease.release()
            _set(self, "_fs_spent", raw)
            raw.close()
        else:
            abandon(raw)

    @property
    def closed(self) -> Any:
        if self._fs_closed:
            return True
        if self._fs_gen != _state.generation:
            return False  # opens on demand: usable
        return getattr(self._fs_raw, "closed", False)

    def __enter__(self) -> Any:
        raw = self._fs_current()
        entered = raw.__enter__()
        return self if entered is raw else entered

    def __exit__(self, *exc: Any) -> Any:
        if self._fs_gen != _state.generation and self._fs_nothing_to_end():
            return None
        return self._fs_current().__exit__(*exc)

    # -- transparency --------------------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        if self._fs_gen != _state.generation:
            unopened = self._fs_unopened_attribute(name)
            if unopened is not _MISSING:
                return unopened
        value = getattr(self._fs_current(), name)
        if not callable(value):
            return value
        adapter = self._fs_adapter
        if adapter is not None:
            if name in adapter.session_methods:
                return self._fs_session.recording(value, name, keyed=False)
            if name in adapter.registration_methods:
                return self._fs_session.recording(value, name, keyed=True)
            if name in adapter.unwrap_methods:
                return _unwrapping(value)
        if name in _CURSOR_RETURNING:
            return _CursorReturning(value, self)
        return value

    def _fs_unopened_attribute(self, name: str) -> Any:
        """A class-level attribute of the driver's connection class, without opening: methods come
        back unopened (they open when called), constants and exception classes as they are."""
        cls = self._fs_connection_class()
        if cls is None:
            return _MISSING
        for klass in cls.__mro__:
            attr = vars(klass).get(name, _MISSING)
            if attr is _MISSING:
                continue
            if isinstance(attr, (classmethod, staticmethod)):
                return getattr(cls, name)
            if isinstance(attr, type) or not hasattr(attr, "__get__"):
                return attr  # exception classes, constants
            if callable(attr) and not hasattr(attr, "__set__"):
                return _Unopened(self, name)
            return _MISSING  # a property or slot: its value lives in the connection
        return _MISSING

    def _fs_connection_class(self) -> Optional[type]:
        cls: Optional[type] = self._fs_class
        if cls is None:
            cls = self._fs_recipe.connection_class()
            _set(self, "_fs_class", cls)
        return cls

    def __setattr__(self, name: str, value: Any) -> None:
        # Recorded so every process's connection gets it; applied now if one is open here.
        if self._fs_gen == _state.generation:
            setattr(self._fs_raw, name, value)
        self._fs_session.attribute(name, value)

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        """``isinstance(conn, driver.Connection)`` is true, as for the driver's own object, and
        finding that out opens nothing."""
        raw = self._fs_raw
        if raw is not None:
            return type(raw)
        if not self._fs_closed:
            cls = self._fs_connection_class()
            if cls is not None:
                return cls
        return Connection

    def __dir__(self) -> list[str]:
        cls = self._fs_connection_class()
        names = set(dir(cls)) if cls is not None else set()
        return sorted(names | set(_OWN_NAMES))

    def __reduce__(self) -> tuple[Any, ...]:
        from ._connect import rebuild

        r = self._fs_recipe
        return (rebuild, (r.connect_fn, r.args, r.kwargs, self._fs_own.policy))

    def __repr__(self) -> str:
        if self._fs_closed:
            where = "closed"
        elif self._fs_gen == _state.generation:
            where = f"open in process {_state.pid}"
        else:
            where = "not opened in this process"
        return f"<forksafe.Connection {self._fs_recipe!r} {where}; made at {self._fs_own.origin}>"

    # -- introspection for pools and integrations ------------------------------------------------
    @property
    def forksafe_recipe(self) -> Recipe:
        recipe: Recipe = self._fs_recipe
        return recipe

    @property
    def forksafe_raw(self) -> Any:
        """The driver connection of this process, opening it if needed."""
        return self._fs_current()


def _close_new(raw: Any, lease: Lease) -> None:
    lease.release()
    try:
        raw.close()
    except Exception:
        pass


class _Unopened:
    """A driver method fetched from a connection not yet opened here: opens when called."""

    __slots__ = ("_conn", "_name")

    def __init__(self, conn: Connection, name: str) -> None:
        self._conn = conn
        self._name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._conn._fs_current()
        return getattr(self._conn, self._name)(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<method {self._name} of {self._conn!r}>"


def _unwrapping(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` receiving the driver's own objects for forksafe connections among its arguments
    (C functions that check the exact type, such as sqlite3's ``backup(target)``)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        args = tuple(a.forksafe_raw if _is_proxy(a) else a for a in args)
        kwargs = {k: (v.forksafe_raw if _is_proxy(v) else v) for k, v in kwargs.items()}
        return method(*args, **kwargs)

    return call


def _is_proxy(value: Any) -> bool:
    return type(value) is Connection  # type() sees the real class, not the __class__ property


class _CursorReturning:
    """Wraps ``conn.execute``-style methods so the cursor they return is guarded too."""

    __slots__ = ("_conn", "_method")

    def __init__(self, method: Callable[..., Any], conn: Connection) -> None:
        self._method = method
        self._conn = conn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        result = self._method(*args, **kwargs)
        if hasattr(result, "fetchone"):
            frame = sys._getframe(1)
            return _new_cursor(result, self._conn, frame.f_code, frame.f_lasti)
        return result


class Cursor:
    """A driver cursor that refuses to be used in a process other than the one that made it.

    A cursor made before a fork talks through the parent's session (or, after the child has
    reconnected, would silently talk through the child's new one with stale state). Either way it
    is a bug in the caller, so it raises :class:`ForkedConnectionError` naming where it was made.
    Everything else (``description``, ``rowcount``, ``arraysize``, ``callproc``, ``nextset``,
    ``setinputsizes``...) is the driver's own.
    """

    __slots__ = ("_fs_conn", "_fs_gen", "_fs_raw", "_fs_where")

    def _fs_forked(self) -> Exception:
        return forked_cursor_error(*self._fs_where)

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        if self._fs_gen != _state.generation:
            raise self._fs_forked()
        result = self._fs_raw.execute(*args, **kwargs)
        return self if result is self._fs_raw else result

    def executemany(self, *args: Any, **kwargs: Any) -> Any:
        if self._fs_gen != _state.generation:
            raise self._fs_forked()
        result = self._fs_raw.executemany(*args, **kwargs)
        return self if result is self._fs_raw else result

    def fetchone(self) -> Any:
        if self._fs_gen != _state.generation:
            raise self._fs_forked()
        return self._fs_raw.fetchone()

    def fetchmany(self, *args: Any, **kwargs: Any) -> Any:
        if self._fs_gen != _state.generation:
            raise self._fs_forked()
        return self._fs_raw.fetchmany(*args, **kwargs)

    def fetchall(self) -> Any:
        if self._fs_gen != _state.generation:
            raise self._fs_forked()
        return self._fs_raw.fetchall()

    def close(self) -> None:
        # In a child, closing a cursor it inherited is a no-op: some drivers drain pending results
        # on close, which would read from the parent's session.
        if self._fs_gen == _state.generation:
            self._fs_raw.close()

    def __iter__(self) -> Iterator[Any]:
        if self._fs_gen != _state.generation:
            raise self._fs_forked()
        return self._fs_iterate()

    def __next__(self) -> Any:
        if self._fs_gen != _state.generation:
            raise self._fs_forked()
        return next(self._fs_raw)

    def _fs_iterate(self) -> Iterator[Any]:
        gen = self._fs_gen
        for row in self._fs_raw:
            if gen != _state.generation:
                raise self._fs_forked()
            yield row

    def __enter__(self) -> Cursor:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def connection(self) -> Connection:
        conn: Connection = self._fs_conn
        return conn

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        if self._fs_gen != _state.generation:
            raise self._fs_forked()
        return getattr(self._fs_raw, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._fs_raw, name, value)

    def __repr__(self) -> str:
        return f"<forksafe.Cursor {self._fs_raw!r}>"


# Cursor creation is on the hot path of "new cursor per query" code: set the slots through their
# descriptors (C calls) rather than object.__setattr__, and keep the caller's code object and
# bytecode offset, not the frame (it would keep its locals alive) nor its line (slow to compute).
_set_raw = Cursor._fs_raw.__set__  # type: ignore[attr-defined]
_set_conn = Cursor._fs_conn.__set__  # type: ignore[attr-defined]
_set_gen = Cursor._fs_gen.__set__  # type: ignore[attr-defined]
_set_where = Cursor._fs_where.__set__  # type: ignore[attr-defined]


def _new_cursor(raw: Any, conn: Connection, code: CodeType, lasti: int) -> Cursor:
    cur: Cursor = object.__new__(Cursor)
    _set_raw(cur, raw)
    _set_conn(cur, conn)
    _set_gen(cur, _state.generation)
    _set_where(cur, (_state.pid, code, lasti))
    return cur

