"""The lazy, per-process connection: ``forksafe.connect`` for every driver but psycopg2.

A :class:`Connection` holds a recipe, not a socket. The first use in a process opens that process's
own driver connection; a fork bumps the generation, and the child's first use sees a connection
that belongs to an older generation, applies the on-fork policy, and opens its own. The inherited
one was already cut off from the server by the at-fork quarantine (``_fork.py``), so dropping it
is safe; it is never closed through the driver.

Why a hand-written proxy rather than ``wrapt.ObjectProxy``: the target changes per process and
does not exist until first use, every DB-API entry point needs its own decision (``commit`` on a
connection never opened in this process is a no-op, not a reason to open one; attribute writes
such as ``autocommit`` are recorded and replayed on each process's connection), and cursors must
be wrapped. Those are most of the class; what wrapt would add is the generic forwarding, which
``__getattr__`` does. ``isinstance(conn, psycopg.Connection)`` still works through ``__class__``.
For psycopg2, whose C functions refuse anything but their own type, see ``drivers/psycopg2.py``.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any, Callable, Iterator, Optional

from . import (
    _events,  # TEMP until core rewrite
    _fds,
)
from ._fork import Lease, abandon, check_pid, fresh_lock, state
from ._origin import capture, line_of
from .drivers import adapter_for_connection
from .errors import ConnectionClosedError, ForkedConnectionError
from .policy import OnFork, enforce
from .recipe import Recipe

__all__ = ["Connection", "Cursor", "open_tracked"]

_state = state
# Connection methods that return a cursor in some drivers (psycopg 3, sqlite3).
_CURSOR_RETURNING = frozenset({"execute", "executemany", "executescript"})
_PID_SAMPLE_MASK = 63  # check the pid on one cursor() call in 64: the backstop's cost stays ~5 ns
_calls = 0  # cursor() calls in this process, all connections (races only skew the sampling)


def open_tracked(recipe: Recipe) -> tuple[Any, Lease]:
    """Open a driver connection and lease the descriptors it talks through.

    The adapter's exact answer wins; without one (or when it cannot tell) we keep what the
    connect call opened. Listing /proc/self/fd costs ~20 us, against a connect's 0.6 to 11 ms.
    """
    before = _fds.snapshot()
    raw = recipe.open()
    adapter = adapter_for_connection(raw) or recipe.adapter
    exact = adapter.fds(raw) if adapter is not None and adapter.fds is not None else []
    if exact:
        return raw, Lease(exact)
    fds, paths = _fds.opened_since(before)
    return raw, Lease(fds, paths=paths)


class Connection:
    """A DB-API 2.0 connection that is always the current process's own. See ``forksafe.connect``."""

    __slots__ = (
        "__weakref__",
        "_fs_closed",
        "_fs_gen",
        "_fs_lease",
        "_fs_lock",
        "_fs_lock_gen",
        "_fs_on_fork",
        "_fs_origin",
        "_fs_raw",
        "_fs_raw_pid",
        "_fs_recipe",
        "_fs_settings",
        "_fs_warned_gen",
    )

    def __init__(self, recipe: Recipe, *, on_fork: Optional[OnFork] = None, origin: str = "") -> None:
        self._fs_recipe = recipe
        self._fs_on_fork = on_fork
        self._fs_origin = origin or capture(2)
        self._fs_raw: Any = None
        self._fs_gen = -1  # generation the raw connection belongs to; -1: none usable
        self._fs_raw_pid = 0
        self._fs_lease: Optional[Lease] = None
        self._fs_lock: Optional[threading.Lock] = None
        self._fs_lock_gen = -1
        self._fs_closed = False
        self._fs_warned_gen = -1
        self._fs_settings: dict[str, Any] = {}

    # -- the per-process switch ---------------------------------------------------------------
    def _fs_current(self) -> Any:
        if self._fs_gen == _state.generation:
            return self._fs_raw
        return self._fs_switch()

    def _fs_switch(self) -> Any:
        check_pid()
        self._fs_lock, self._fs_lock_gen = fresh_lock(self._fs_lock, self._fs_lock_gen)
        with self._fs_lock:
            if self._fs_gen == _state.generation:
                return self._fs_raw
            if self._fs_closed:
                raise ConnectionClosedError(
                    f"{self!r} was closed with close(); make a new one with forksafe.connect(...)"
                )
            if self._fs_raw is not None:
                self._fs_leave_inherited()
            raw, lease = open_tracked(self._fs_recipe)
            try:
                for name, value in self._fs_settings.items():
                    setattr(raw, name, value)
            except BaseException:
                lease.release()
                raw.close()
                raise
            self._fs_raw, self._fs_lease, self._fs_raw_pid = raw, lease, os.getpid()
            self._fs_gen = _state.generation
            return raw

    def _fs_leave_inherited(self) -> None:
        """First touch of a connection inherited through fork: policy, then let it go unclosed."""
        warned_here = self._fs_warned_gen == _state.generation
        try:  # TEMP until core rewrite: the core publishes fork events itself
            if enforce(self._fs_on_fork, kind="connection", made_pid=self._fs_raw_pid, origin=self._fs_origin,
                       warned=warned_here):
                self._fs_warned_gen = _state.generation
                _events.publish("warned", "connection", self._fs_recipe.label, self._fs_origin,
                                self._fs_raw_pid)
            else:
                _events.publish("reconnected", "connection", self._fs_recipe.label, self._fs_origin,
                                self._fs_raw_pid)
        except ForkedConnectionError:  # TEMP until core rewrite
            _events.publish("raised", "connection", self._fs_recipe.label, self._fs_origin, self._fs_raw_pid)
            raise
        # Already quarantined in the at-fork hook: nothing it does can reach the server.
        abandon(self._fs_raw)
        self._fs_raw = None
        self._fs_lease = None

    def _fs_inherited(self) -> bool:
        return self._fs_raw is not None and self._fs_gen != _state.generation

    # -- DB-API --------------------------------------------------------------------------------
    def cursor(self, *args: Any, **kwargs: Any) -> Cursor:
        global _calls
        _calls += 1
        if not _calls & _PID_SAMPLE_MASK:
            check_pid()
        raw = self._fs_raw if self._fs_gen == _state.generation else self._fs_switch()
        return _new_cursor(raw.cursor(*args, **kwargs), self, sys._getframe(1))

    def commit(self) -> None:
        if self._fs_gen == _state.generation:
            self._fs_raw.commit()
        elif self._fs_untouched_here():
            return  # nothing was done on this process's connection: nothing to commit
        else:
            self._fs_switch().commit()

    def rollback(self) -> None:
        if self._fs_gen == _state.generation:
            self._fs_raw.rollback()
        elif self._fs_untouched_here():
            return
        else:
            self._fs_switch().rollback()

    def _fs_untouched_here(self) -> bool:
        """True when this process has no connection of its own yet and the policy lets it be.

        A commit or rollback then has nothing to act on. Under ``raise`` an inherited connection
        still raises, so strict mode reports the first use whatever it is.
        """
        if self._fs_closed:
            return False
        if self._fs_inherited():
            from .policy import get_on_fork

            return (self._fs_on_fork or get_on_fork()) != "raise"
        return True

    def close(self) -> None:
        """Close this process's connection. An inherited one is abandoned, never closed through
        its driver: that would end the parent's session."""
        check_pid()
        raw, lease, current = self._fs_raw, self._fs_lease, self._fs_gen == _state.generation
        self._fs_closed = True
        self._fs_gen = -1
        self._fs_raw = None
        self._fs_lease = None
        if raw is not None and current:
            if lease is not None:
                lease.release()
            raw.close()
        elif raw is not None:
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
        if self._fs_gen != _state.generation and self._fs_untouched_here():
            return None
        return self._fs_current().__exit__(*exc)

    # -- transparency --------------------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        value = getattr(self._fs_current(), name)
        if name in _CURSOR_RETURNING and callable(value):
            return _CursorReturning(value, self)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_fs_") or name == "__class__":
            object.__setattr__(self, name, value)
            return
        # Recorded so every process's connection gets it; applied now if one is open here.
        self._fs_settings[name] = value
        if self._fs_gen == _state.generation:
            setattr(self._fs_raw, name, value)

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        """``isinstance(conn, driver.Connection)`` is true, as for the driver's own object."""
        if not self._fs_closed:
            try:
                return type(self._fs_current())
            except Exception:
                return Connection
        return Connection

    def __reduce__(self) -> tuple[Any, ...]:
        r = self._fs_recipe
        return (_rebuild, (r.connect_fn, r.args, r.kwargs, self._fs_on_fork))

    def __repr__(self) -> str:
        if self._fs_closed:
            where = "closed"
        elif self._fs_gen == _state.generation:
            where = f"open in process {self._fs_raw_pid}"
        else:
            where = "not opened in this process"
        return f"<forksafe.Connection {self._fs_recipe!r} {where}; made at {self._fs_origin}>"

    # -- introspection for pools and integrations ------------------------------------------------
    @property
    def forksafe_recipe(self) -> Recipe:
        return self._fs_recipe

    @property
    def forksafe_raw(self) -> Any:
        """The driver connection of this process, opening it if needed."""
        return self._fs_current()


def _rebuild(connect_fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
             on_fork: Optional[OnFork]) -> Any:
    from . import connect

    return connect(connect_fn, *args, on_fork=on_fork, **kwargs)


class _CursorReturning:
    """Wraps ``conn.execute``-style methods so the cursor they return is guarded too."""

    __slots__ = ("_conn", "_method")

    def __init__(self, method: Callable[..., Any], conn: Connection) -> None:
        self._method = method
        self._conn = conn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        result = self._method(*args, **kwargs)
        if hasattr(result, "fetchone"):
            return _new_cursor(result, self._conn, sys._getframe(1))
        return result


class Cursor:
    """A driver cursor that refuses to be used in a process other than the one that made it.

    A cursor made before a fork talks through the parent's session (or, after the child has
    reconnected, would silently talk through the child's new one with stale state). Either way it
    is a bug in the caller, so it raises :class:`ForkedConnectionError` naming where it was made.
    """

    __slots__ = ("_fs_conn", "_fs_gen", "_fs_raw", "_fs_where")

    def __init__(self, raw: Any, conn: Connection, frame: Any) -> None:
        _init_cursor(self, raw, conn, frame)

    def _fs_forked(self) -> ForkedConnectionError:
        pid, code, lasti = self._fs_where
        return ForkedConnectionError(
            f"cursor made in process {pid} at {code.co_filename}:{line_of(code, lasti)} was used in "
            f"forked process {os.getpid()}. "
            "Cursors cannot cross a fork: make a new cursor in this process with conn.cursor() "
            "(forksafe gives this process its own connection)."
        )

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


def _init_cursor(cur: Cursor, raw: Any, conn: Connection, frame: Any) -> None:
    _set_raw(cur, raw)
    _set_conn(cur, conn)
    _set_gen(cur, _state.generation)
    _set_where(cur, (conn._fs_raw_pid, frame.f_code, frame.f_lasti))


def _new_cursor(raw: Any, conn: Connection, frame: Any) -> Cursor:
    cur: Cursor = object.__new__(Cursor)
    _init_cursor(cur, raw, conn, frame)
    return cur
