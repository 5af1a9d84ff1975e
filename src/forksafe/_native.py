"""A connection of the driver's own class that reconnects in place: for drivers whose C functions
accept nothing else (psycopg2; the adapter says ``native_class``).

psycopg2's functions that take a connection (``register_type``, ``register_uuid``,
``quote_ident``, ``sql.Composable.as_string``) check the C type, so a proxy is refused, and
SQLAlchemy's and Django's psycopg2 backends call them on every new connection (docs/evidence.md,
"Proxies and C type checks"). So forksafe hands out a real subclass of the driver's class, made
through the driver's own connect function (its ``factory_keyword``).

This is a thin layer over the same state machine as the proxy (``_ownership.Ownership``): the
same policy, messages, lock, warn-once, commit rule and forked-cursor error. What differs is
only *how* the process gets its own session: in a child, the first use runs ``__init__`` again
on the same object. psycopg2's ``__init__`` starts from scratch: a new libpq ``PGconn``, a new
session, a fresh mutex (a lock a parent thread held at fork time is not inherited) and the
current pid, so its destructor later closes the child's own session. The parent's ``PGconn``
is abandoned, not finished: its socket already points at /dev/null. The price is the abandoned
struct (a few KB) and its /dev/null descriptor, once per inherited connection per child. What
``__init__`` resets is read back before and put back after (the adapter's
``snapshot``/``restore``). If the reconnect fails (the server is briefly unreachable), the
object stays "not yet reconnected" and the next use tries again: a long-lived worker recovers.
That needs one throwaway connection before the in-place one (psycopg2 never clears the "closed"
flag a failed ``__init__`` sets), so a child's first use of an inherited psycopg2 connection
costs two connects.

Unlike the proxy it opens when it is made: a psycopg2 connection object that never connected
has no typecaster tables and its C functions misbehave, so there is no safe "not yet opened"
state in the process that makes it. It is lazy after a fork, where it matters.
"""

from __future__ import annotations

import os
import sys
import threading

from ._drivers import DriverAdapter
from ._fork import check_pid, sampled_check, state
from ._ownership import Ownership, forked_cursor_error
from ._quarantine import Lease, LeaseInfo
from ._recipe import Recipe
from .errors import closed_error

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

    from ._policy import OnFork

__all__ = ["build", "native_class"]

_classes: dict[type, type] = {}
_cursor_classes: dict[type, type] = {}
_classes_lock = threading.Lock()
_GUARDED_CURSOR_METHODS = (
    "execute", "executemany", "callproc", "fetchone", "fetchmany", "fetchall", "scroll", "copy_from",
    "copy_to", "copy_expert", "mogrify", "__iter__", "__next__", "nextset",
)


def build(recipe: Recipe, origin: str, on_fork: Optional[OnFork]) -> Any:
    adapter = recipe.adapter
    assert adapter is not None and adapter.native_class
    kwargs = dict(recipe.kwargs)
    base = kwargs.pop(adapter.factory_keyword, None) or recipe.connection_class()
    if not isinstance(base, type):
        raise TypeError(f"{adapter.factory_keyword}= must be a {recipe.label} connection class; got {base!r}")
    cls = native_class(base, adapter)
    kwargs[adapter.factory_keyword] = cls
    conn = recipe.connect_fn(*recipe.args, **kwargs)
    conn._fs_setup(recipe, Ownership(recipe.label, origin=origin, policy=on_fork))
    return conn


def native_class(base: type, adapter: DriverAdapter) -> type:
    """The fork-safe subclass of a driver connection class (cached per base)."""
    with _classes_lock:
        cls = _classes.get(base)
        if cls is None:
            cls = _classes[base] = _make_connection_class(base, adapter)
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


def _make_connection_class(base: Any, adapter: DriverAdapter) -> type:
    driver_base = base.__mro__[-2]  # the driver's C class, below object
    fileno = driver_base.fileno
    closed_attr = driver_base.closed
    cursor_factory_attr = driver_base.cursor_factory
    snapshot, restore = adapter.snapshot, adapter.restore

    def _new_lease(self: Any) -> Lease:
        own: Ownership = self._fs_own
        info = LeaseInfo(own.label, "connection", own.origin, os.getpid())
        return Lease([fileno(self)], info=info)

    def _fs_setup(self: Any, recipe: Recipe, own: Ownership) -> None:
        self._fs_recipe = recipe
        self._fs_own = own
        self._fs_closed_here = False
        self._fs_spent = False  # closed through the driver in this process
        self._fs_saved = None
        self._fs_saved_gen = -1
        with own.lock():
            own.claim()
        self._fs_lease = _new_lease(self)
        self._fs_gen = state.generation
        if "_fs_user_factory" not in self.__dict__:
            _set_cursor_factory(self, None)

    def __init__(self: Any, dsn: str, *args: Any, **kwargs: Any) -> None:
        self._fs_init_args = (dsn, args, kwargs)
        self._fs_gen = state.generation  # until _fs_setup: behave as current
        base.__init__(self, dsn, *args, **kwargs)

    def _fs_switch(self: Any) -> None:
        """First use in a new process: policy, then a new session in this same object."""
        check_pid()
        own: Ownership = self._fs_own
        with own.lock():
            if self._fs_gen == state.generation:
                return
            if self._fs_closed_here:
                raise closed_error(adapter.dbapi_module, f"{own.describe()} was closed with close(); make a "
                                   "new one with forksafe.connect(...)")
            own.claim()
            if self._fs_saved_gen != state.generation:  # read once: a failed reconnect leaves it closed
                self._fs_saved = snapshot(self) if snapshot is not None else None
                self._fs_saved_gen = state.generation
            dsn, args, kwargs = self._fs_init_args
            # A failed __init__ leaves psycopg2's C "closed" flag set for good (nothing but tp_alloc
            # clears it), so the object could never be used again: try the server on a throwaway
            # connection first; if that fails, this object is untouched and the next use retries.
            driver_base(dsn, *args, **kwargs).close()
            base.__init__(self, dsn, *args, **kwargs)
            if restore is not None and self._fs_saved is not None:
                restore(self, self._fs_saved)
            self._fs_lease = _new_lease(self)
            self._fs_gen = state.generation

    def cursor(self: Any, *args: Any, **kwargs: Any) -> Any:
        sampled_check()
        if self._fs_gen != state.generation:
            self._fs_switch()
        # The connection's default factory is already the guarded class (see _set_cursor_factory):
        # only a factory passed here needs wrapping.
        if kwargs.get("cursor_factory") is not None:
            kwargs["cursor_factory"] = _guarded_cursor_class(kwargs["cursor_factory"])
        cur = base.cursor(self, *args, **kwargs)
        frame = sys._getframe(1)
        cur._fs_gen = state.generation
        cur._fs_where = (state.pid, frame.f_code, frame.f_lasti)  # line computed on error only
        return cur

    def _fs_lenient(self: Any) -> bool:
        """Nothing to act on here yet (commit before any use) and the policy lets a no-op stand."""
        return not self._fs_closed_here and bool(self._fs_own.lenient())

    def commit(self: Any) -> None:
        if self._fs_gen != state.generation:
            if _fs_lenient(self):
                return
            self._fs_switch()
        base.commit(self)

    def rollback(self: Any) -> None:
        if self._fs_gen != state.generation:
            if _fs_lenient(self):
                return
            self._fs_switch()
        base.rollback(self)

    def close(self: Any) -> None:
        check_pid()
        current = self._fs_gen == state.generation or (self._fs_closed_here and self._fs_spent)
        self._fs_closed_here = True
        self._fs_gen = -1  # every guarded path now reaches _fs_switch, which raises "closed"
        if not current:
            return  # inherited: abandoned, never closed through libpq (that would end the parent's session)
        if not self._fs_spent:
            self._fs_lease.release()
            self._fs_spent = True
        base.close(self)  # a second close behaves as the driver's own

    def __enter__(self: Any) -> Any:
        if self._fs_gen != state.generation:
            self._fs_switch()
        return base.__enter__(self)

    def __exit__(self: Any, *exc: Any) -> Any:
        if self._fs_gen != state.generation and _fs_lenient(self):
            return None
        return base.__exit__(self, *exc)

    def _set_cursor_factory(self: Any, factory: Any) -> None:
        """``conn.cursor_factory`` reads back what the user set; the driver itself sees the guarded
        subclass, so ``cursor()`` needs no per-call work to find it."""
        self._fs_user_factory = factory
        cursor_factory_attr.__set__(self, _guarded_cursor_class(factory or _default_cursor(driver_base)))

    def _closed(self: Any) -> int:
        return 1 if self._fs_closed_here else int(closed_attr.__get__(self))

    def __reduce__(self: Any) -> Any:
        from ._connect import rebuild

        r = self._fs_recipe
        return (rebuild, (r.connect_fn, r.args, r.kwargs, self._fs_own.policy))

    def __repr__(self: Any) -> str:
        if _closed(self):
            where = "closed"
        elif self._fs_gen == state.generation:
            where = f"open in process {os.getpid()}"
        else:
            where = "not reconnected here yet"
        module = type(self).__mro__[1].__module__
        return f"<forksafe {module} connection {self._fs_recipe!r} {where}; made at {self._fs_own.origin}>"

    namespace: dict[str, Any] = {
        "__init__": __init__, "_fs_setup": _fs_setup, "_fs_switch": _fs_switch, "cursor": cursor,
        "commit": commit, "rollback": rollback, "close": close, "__enter__": __enter__,
        "__exit__": __exit__, "closed": property(_closed), "__reduce__": __reduce__, "__repr__": __repr__,
        "cursor_factory": property(lambda self: self.__dict__.get("_fs_user_factory"), _set_cursor_factory),
        "forksafe_recipe": property(lambda self: self._fs_recipe),
        "__module__": __name__,
        "__doc__": f"A {base.__module__} connection of the driver's class, reconnected in place after fork.",
    }
    for name in dir(driver_base):
        if name.startswith("_") or name in namespace or name in adapter.unguarded:
            continue
        attr = getattr(driver_base, name)
        if isinstance(attr, type):
            continue  # the DB-API exception classes
        namespace[name] = _guard_attribute(attr)
    return type(f"ForkSafe{base.__name__.capitalize()}", (base,), namespace)


def _default_cursor(driver_base: Any) -> Any:
    module = sys.modules[driver_base.__module__]
    return module.cursor


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
    def guard(name: str) -> Callable[..., Any]:
        original = getattr(base, name)

        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            if self._fs_gen != state.generation:
                raise forked_cursor_error(*self._fs_where)
            return original(self, *args, **kwargs)

        method.__name__ = name
        return method

    def close(self: Any) -> None:
        # In a child, closing a cursor it inherited is a no-op: some drivers drain pending results
        # on close, which would read from the parent's session.
        if self._fs_gen == state.generation:
            base.close(self)

    # Slots, set by the connection's cursor(): no per-cursor __dict__, no Python __init__.
    namespace: dict[str, Any] = {"close": close, "__module__": __name__,
                                 "__slots__": ("_fs_gen", "_fs_where")}
    for name in _GUARDED_CURSOR_METHODS:
        if hasattr(base, name):
            namespace[name] = guard(name)
    return type(f"ForkSafe{base.__name__.capitalize()}", (base,), namespace)
