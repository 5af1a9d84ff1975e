"""psycopg2: a connection of psycopg2's own class that reconnects in place after fork.

psycopg2's C functions that take a connection (``register_type``, ``register_uuid``,
``quote_ident``, ``sql.Composable.as_string``, ...) check the C type, so a proxy is refused, and
SQLAlchemy's and Django's psycopg2 backends call them on every new connection. So forksafe hands
out a real subclass of ``psycopg2.extensions.connection`` (or of the user's
``connection_factory``), made through ``psycopg2.connect`` itself.

In a child, the first use runs ``connection.__init__`` again on the same object. psycopg2's
``__init__`` starts from scratch: a new libpq ``PGconn``, a new session, a fresh mutex (so a lock
a parent thread held at fork time is not inherited), and the current pid, so its destructor
later closes the child's own session. The parent's ``PGconn`` is abandoned, not finished: its
socket was already pointed at /dev/null by the at-fork quarantine, so even psycopg2 touching it
would reach nothing shared. The price is the abandoned ``PGconn`` struct (a few KB) and its
/dev/null descriptor, once per inherited connection per child. Settings that ``__init__`` resets
(autocommit, isolation level, read-only, deferrable, typecasters registered on the connection)
are saved and put back, so the child's session behaves like the parent's.

Unlike the generic proxy this connection opens when it is made: a psycopg2 connection object
that never connected has no typecaster tables and its C functions misbehave, so there is no safe
"not yet opened" state. It is lazy after a fork, where it matters.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import TYPE_CHECKING, Any, Callable, Optional

from .._fork import Lease, check_pid, fresh_lock, state
from .._origin import line_of
from ..errors import ForkedConnectionError
from ..policy import enforce, get_on_fork

if TYPE_CHECKING:
    from ..recipe import Recipe

_SESSION_SETTINGS = ("isolation_level", "readonly", "deferrable", "autocommit")
_NOT_GUARDED = frozenset({"string_types", "binary_types", "cursor_factory", "dsn", "closed", "async",
                          "async_"})
_classes: dict[type, type] = {}
_cursor_classes: dict[type, type] = {}
_classes_lock = threading.Lock()


def fds(conn: Any) -> list[int]:
    return [conn.fileno()]


def in_transaction(conn: Any) -> Optional[bool]:
    # get_transaction_status() reads the same libpq value as conn.info.transaction_status without
    # building an info object: 0.08 us instead of 0.33 (pools call this on every return).
    return bool(conn.get_transaction_status())  # 0 is TRANSACTION_STATUS_IDLE


def is_closed(conn: Any) -> bool:
    return bool(conn.closed)


def ping(conn: Any) -> None:
    with conn.cursor() as cur:
        cur.execute("")


def build(recipe: Recipe, origin: str, on_fork: Optional[str]) -> Any:
    import psycopg2.extensions

    kwargs = dict(recipe.kwargs)
    factory = kwargs.pop("connection_factory", None) or psycopg2.extensions.connection
    cls = connection_class(factory)
    conn = recipe.connect_fn(*recipe.args, connection_factory=cls, **kwargs)
    conn._fs_setup(recipe, origin, on_fork)
    return conn


def connection_class(base: type) -> type:
    """The fork-safe subclass of a psycopg2 connection class (cached per base)."""
    with _classes_lock:
        cls = _classes.get(base)
        if cls is None:
            cls = _classes[base] = _make_connection_class(base)
        return cls


def _guarded_cursor_class(base: type) -> type:
    cls = _cursor_classes.get(base)  # hot path: no lock once made
    if cls is not None:
        return cls
    with _classes_lock:
        cls = _cursor_classes.get(base)
        if cls is None:
            cls = _cursor_classes[base] = _make_cursor_class(base)
        return cls


def _make_connection_class(base: Any) -> type:
    import psycopg2.extensions as ext

    def _fs_setup(self: Any, recipe: Recipe, origin: str, on_fork: Optional[str]) -> None:
        self._fs_recipe = recipe
        self._fs_origin = origin
        self._fs_on_fork = on_fork
        self._fs_gen = state.generation
        self._fs_pid = os.getpid()
        self._fs_lease = Lease([ext.connection.fileno(self)])
        self._fs_lock = None
        self._fs_lock_gen = -1
        self._fs_closed_here = False
        if "_fs_user_factory" not in self.__dict__:
            _set_cursor_factory(self, None)

    def __init__(self: Any, dsn: str, *args: Any, **kwargs: Any) -> None:
        self._fs_init_args = (dsn, args, kwargs)
        self._fs_gen = state.generation  # until _fs_setup: behave as current
        self._fs_calls = 0
        base.__init__(self, dsn, *args, **kwargs)

    def _fs_switch(self: Any) -> None:
        """First use in a new process: policy, then a new session in this same object."""
        check_pid()
        self._fs_lock, self._fs_lock_gen = fresh_lock(self._fs_lock, self._fs_lock_gen)
        with self._fs_lock:
            if self._fs_gen == state.generation:
                return
            if self._fs_closed_here or ext.connection.closed.__get__(self):
                raise ext.InterfaceError("connection already closed")
            enforce(self._fs_on_fork, kind="connection", made_pid=self._fs_pid, origin=self._fs_origin,
                    warned=False)
            saved = {name: getattr(ext.connection, name).__get__(self) for name in _SESSION_SETTINGS}
            string_types = dict(self.string_types)
            binary_types = dict(self.binary_types)
            dsn, args, kwargs = self._fs_init_args
            base.__init__(self, dsn, *args, **kwargs)
            self._fs_gen = state.generation
            self._fs_pid = os.getpid()
            self._fs_lease = Lease([ext.connection.fileno(self)])
            self.string_types.update(string_types)
            self.binary_types.update(binary_types)
            for name in _SESSION_SETTINGS:
                getattr(ext.connection, name).__set__(self, saved[name])

    def _fs_stale_and_lenient(self: Any) -> bool:
        """Inherited, and the policy lets a no-op stand (commit/rollback with nothing to act on)."""
        return self._fs_gen != state.generation and (self._fs_on_fork or get_on_fork()) != "raise"

    def cursor(self: Any, *args: Any, **kwargs: Any) -> Any:
        self._fs_calls += 1
        if not self._fs_calls & 63:
            check_pid()  # sampled backstop for forks that bypassed Python's hooks
        if self._fs_gen != state.generation:
            self._fs_switch()
        # The connection's default factory is already the guarded class (see _set_cursor_factory):
        # only a factory passed here needs wrapping.
        if kwargs.get("cursor_factory") is not None:
            kwargs["cursor_factory"] = _guarded_cursor_class(kwargs["cursor_factory"])
        cur = base.cursor(self, *args, **kwargs)
        frame = sys._getframe(1)
        cur._fs_gen = state.generation
        cur._fs_where = (self._fs_pid, frame.f_code, frame.f_lasti)  # line computed on error only
        return cur

    def commit(self: Any) -> None:
        if self._fs_gen != state.generation:
            if _fs_stale_and_lenient(self):
                return
            self._fs_switch()
        base.commit(self)

    def rollback(self: Any) -> None:
        if self._fs_gen != state.generation:
            if _fs_stale_and_lenient(self):
                return
            self._fs_switch()
        base.rollback(self)

    def close(self: Any) -> None:
        if self._fs_gen != state.generation:
            # Inherited: abandon, never close through libpq (that would end the parent's session).
            self._fs_closed_here = True
            return
        self._fs_lease.release()
        base.close(self)

    def __enter__(self: Any) -> Any:
        if self._fs_gen != state.generation:
            self._fs_switch()
        return base.__enter__(self)

    def __exit__(self: Any, *exc: Any) -> Any:
        if self._fs_gen != state.generation and _fs_stale_and_lenient(self):
            return None
        return base.__exit__(self, *exc)

    def _set_cursor_factory(self: Any, factory: Any) -> None:
        """``conn.cursor_factory`` reads back what the user set; psycopg2 itself sees the guarded
        subclass, so ``cursor()`` needs no per-call work to find it."""
        self._fs_user_factory = factory
        ext.connection.cursor_factory.__set__(self, _guarded_cursor_class(factory or ext.cursor))

    def _closed(self: Any) -> int:
        return 1 if self._fs_closed_here else int(ext.connection.closed.__get__(self))

    def __reduce__(self: Any) -> Any:
        from ..connection import _rebuild

        r = self._fs_recipe
        return (_rebuild, (r.connect_fn, r.args, r.kwargs, self._fs_on_fork))

    def __repr__(self: Any) -> str:
        state_text = "closed" if _closed(self) else f"open in process {self._fs_pid}"
        return f"<forksafe psycopg2 connection {self._fs_recipe!r} {state_text}; made at {self._fs_origin}>"

    namespace: dict[str, Any] = {
        "__init__": __init__, "_fs_setup": _fs_setup, "_fs_switch": _fs_switch, "cursor": cursor,
        "commit": commit, "rollback": rollback, "close": close, "__enter__": __enter__,
        "__exit__": __exit__, "closed": property(_closed), "__reduce__": __reduce__, "__repr__": __repr__,
        "cursor_factory": property(lambda self: self.__dict__.get("_fs_user_factory"), _set_cursor_factory),
        "__module__": __name__,
        "__doc__": "A psycopg2 connection of the driver's own class that reconnects in place after fork.",
    }
    for name in dir(ext.connection):
        if name.startswith("_") or name in namespace or name in _NOT_GUARDED:
            continue
        attr = getattr(ext.connection, name)
        if isinstance(attr, type):
            continue  # the DB-API exception classes
        namespace[name] = _guard_attribute(attr)
    return type(f"ForkSafe{base.__name__.capitalize()}", (base,), namespace)


def _guard_attribute(attr: Any) -> Any:
    """Wrap one method or property so the first use in a new process reconnects first."""
    if hasattr(attr, "__set__") or (hasattr(attr, "__get__") and not callable(attr)):
        getter: Callable[[Any], Any] = attr.__get__

        def get(self: Any) -> Any:
            if self._fs_gen != state.generation:
                self._fs_switch()
            return getter(self)

        if hasattr(attr, "__set__"):
            setter = attr.__set__

            def set_(self: Any, value: Any) -> None:
                if self._fs_gen != state.generation:
                    self._fs_switch()
                setter(self, value)

            return property(get, set_, doc=getattr(attr, "__doc__", None))
        return property(get, doc=getattr(attr, "__doc__", None))

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self._fs_gen != state.generation:
            self._fs_switch()
        return attr(self, *args, **kwargs)

    method.__name__ = getattr(attr, "__name__", "method")
    method.__doc__ = getattr(attr, "__doc__", None)
    return method


def _make_cursor_class(base: Any) -> type:
    def forked(self: Any) -> ForkedConnectionError:
        pid, code, lasti = self._fs_where
        return ForkedConnectionError(
            f"cursor made in process {pid} at {code.co_filename}:{line_of(code, lasti)} was used in "
            "forked process "
            f"{os.getpid()}. Cursors cannot cross a fork: make a new cursor in this process with "
            "conn.cursor() (forksafe gives this process its own connection)."
        )

    def guard(name: str) -> Callable[..., Any]:
        original = getattr(base, name)

        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            if self._fs_gen != state.generation:
                raise forked(self)
            return original(self, *args, **kwargs)

        method.__name__ = name
        return method

    def close(self: Any) -> None:
        if self._fs_gen == state.generation:
            base.close(self)

    # Slots, set by the connection's cursor(): no per-cursor __dict__, no Python __init__.
    namespace: dict[str, Any] = {"close": close, "__module__": __name__,
                                 "__slots__": ("_fs_gen", "_fs_where")}
    for name in ("execute", "executemany", "callproc", "fetchone", "fetchmany", "fetchall", "scroll",
                 "copy_from", "copy_to", "copy_expert", "mogrify", "__iter__", "__next__", "nextset"):
        if hasattr(base, name):
            namespace[name] = guard(name)
    return type(f"ForkSafe{base.__name__.capitalize()}", (base,), namespace)

