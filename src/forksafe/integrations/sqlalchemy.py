"""SQLAlchemy: an engine whose pool starts empty in every forked child.

A module-level ``create_engine(...)`` is the most common home of the fork bug: the child inherits
the pool and checks out the parent's DBAPI connections. SQLAlchemy's own advice is to call
``engine.dispose(close=False)`` first thing in every child; :func:`make_fork_safe` does exactly
that for you, in the child's at-fork hook, before any of the child's code runs:

* **The pool starts empty.** The child's engine gets a new pool (``dispose(close=False)``: the
  pool is re-created from the same settings and the ``engine_disposed`` event fires); the
  inherited pool object is kept alive, untouched, so neither its bookkeeping (overflow counters,
  locks another thread may have held at fork time) nor garbage collection ever acts on the
  parent's connections.
* **Inherited DBAPI connections are quarantined.** Connections made through ``forksafe.patch()``
  are forksafe connections and quarantine themselves. For the others (engines created before
  patching, a ``creator=`` function, a driver that is not patched) each new DBAPI connection's
  descriptors are leased (``forksafe._quarantine.Lease``) on the pool's ``connect`` event, so in a
  child they point at ``/dev/null`` and nothing the child does (an inherited checked-out
  connection being returned, a rollback on reset, a destructor) reaches the parent's session.
  ``make_fork_safe`` disposes the engine once, in the calling process, so connections the pool
  already held are re-made under that lease (a normal close in their own process: safe).

Under ``forksafe.patch()`` (and ``forksafe run``) this applies to every engine automatically:
engines that exist when SQLAlchemy is patched are found once with the garbage collector (by
``type()``, which reads nothing from the objects: a lazy forksafe connection among them stays
unopened), later ones are recorded at their first ``connect()`` (a class-level
``engine_connect`` listener) or ``raw_connection()`` (``Engine.raw_connection`` records the
engine, then calls SQLAlchemy's own), so an engine used only for raw DBAPI connections gets a new
pool in the child too, and the pool's ``connect`` event runs for the child's sessions. Adding to a
weak set costs well under 1% of SQLAlchemy's checkout.

**Databases that live in the process are left alone.** An in-memory SQLite engine
(``create_engine("sqlite://")``, ``StaticPool`` or not) has nothing shared with the parent: its
database *is* the pool's connection, copied into the child by fork. Disposing it would hand the
child (or, for ``make_fork_safe`` and a late ``patch()``, the parent) an empty database. Such
engines are never disposed, in the parent or the child.

The parent is never affected: its pool and connections stay as they were.
"""

from __future__ import annotations

import gc
import os
import threading
import warnings
import weakref
from typing import Any, TypeVar

from .._drivers import adapter_for_connection
from .._drivers import sqlite3 as _sqlite_knowledge
from .._fork import on_child
from .._proxy import Connection as _ForkSafeProxy
from .._quarantine import Lease
from ..errors import ForkSafetyWarning

__all__ = ["make_fork_safe"]

E = TypeVar("E")
_LEASE_KEY = "forksafe_lease"
_lock = threading.Lock()
_engines: weakref.WeakSet[Any] = weakref.WeakSet()
_explicit: weakref.WeakSet[Any] = weakref.WeakSet()
_auto = False
_hooked = False
_inherited: list[Any] = []  # the parent's pools, kept alive (and never used) in a child
_raw_connection: Any = None  # SQLAlchemy's own Engine.raw_connection while ours records engines


def make_fork_safe(engine: E) -> E:
    """Make ``engine`` fork-safe: in every forked child its pool starts empty and the parent's
    connections are quarantined. Returns the engine, so ``engine = make_fork_safe(create_engine(...))``.

    Call it where the engine is made (module level is fine). Idempotent.
    """
    target = _base_engine(engine)
    from sqlalchemy import event

    if not hasattr(target, "pool") or not hasattr(target, "dispose"):
        raise TypeError(f"make_fork_safe needs a SQLAlchemy Engine; got {type(engine).__name__}")
    with _lock:
        if target in _explicit:
            return engine
        _explicit.add(target)
        _engines.add(target)
        _hook()
    if not event.contains(target, "connect", _lease_connection):
        event.listen(target, "connect", _lease_connection)
        event.listen(target, "close", _release_connection)
    if not lives_in_process(target):
        target.dispose()  # connections made before now were not leased: re-make them (here, safely)
    return engine


def lives_in_process(engine: Any) -> bool:
    """True for an engine whose database lives in the process (in-memory SQLite): nothing to share,
    and disposing its pool would drop the database itself."""
    url = getattr(engine, "url", None)
    if url is None or url.get_backend_name() != "sqlite":
        return False
    uri = str(url.query.get("uri", "")).lower() in ("true", "1")
    return _sqlite_knowledge.in_process((url.database or "",), {"uri": uri})


def is_fork_safe(engine: Any) -> bool:
    """True if ``engine`` gets a fresh pool in forked children (explicitly or under patch())."""
    target = _base_engine(engine)
    return target in _explicit or (_auto and target in _engines)


def _base_engine(engine: Any) -> Any:
    # engine.execution_options(...) returns an OptionEngine sharing the base engine's pool.
    return getattr(engine, "_proxied", engine)


def _is_forksafe(dbapi_connection: Any) -> bool:
    return type(dbapi_connection) is _ForkSafeProxy or hasattr(type(dbapi_connection), "_fs_switch")


def _lease_connection(dbapi_connection: Any, connection_record: Any) -> None:
    """Pool ``connect`` event: record the descriptors of a connection forksafe did not make."""
    if _is_forksafe(dbapi_connection):
        return
    adapter = adapter_for_connection(dbapi_connection)
    if adapter is None or adapter.fds is None:
        return
    try:
        fds = adapter.fds(dbapi_connection)
    except Exception:
        return
    if fds:
        connection_record.info[_LEASE_KEY] = Lease(fds)


def _release_connection(dbapi_connection: Any, connection_record: Any) -> None:
    lease = connection_record.info.pop(_LEASE_KEY, None)
    if isinstance(lease, Lease) and not lease.stale:
        lease.release()


def _track(conn: Any, *args: Any) -> None:
    _engines.add(_base_engine(conn.engine))


def _hook() -> None:
    global _hooked
    if not _hooked:
        _hooked = True
        on_child(_after_fork_in_child)


def _after_fork_in_child() -> None:
    """Runs in every child right after fork: new pools for the engines we look after."""
    engines = list(_explicit) + (list(_engines) if _auto else [])
    seen: set[int] = set()
    for engine in engines:
        if id(engine) in seen:
            continue
        seen.add(id(engine))
        try:
            if lives_in_process(engine):
                continue  # the child's copy of the database is the inherited pool's connection
            _inherited.append(engine.pool)
            engine.dispose(close=False)
        except Exception as e:  # one odd engine must not stop the others (nor forksafe's hook)
            warnings.warn(f"forksafe could not give {engine!r} a new pool in process {os.getpid()}: {e!r}",
                          ForkSafetyWarning, stacklevel=1)


def _enable_auto() -> None:
    """Called by ``forksafe.patch()`` once SQLAlchemy is imported."""
    global _auto, _raw_connection
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.pool import Pool

    with _lock:
        if _auto:
            return
        _auto = True
        _hook()
    event.listen(Engine, "engine_connect", _track)
    event.listen(Pool, "connect", _lease_connection)
    event.listen(Pool, "close", _release_connection)
    if _raw_connection is None:
        _raw_connection = Engine.raw_connection
        Engine.raw_connection = _recording_raw_connection  # type: ignore[method-assign]
    # Engines made before patching: their pooled connections were made unpatched, so re-make them.
    # type(), not isinstance(): isinstance falls back to reading __class__, which is a property on
    # forksafe's lazy connections (and on other proxies) and may do anything.
    for obj in gc.get_objects():
        if issubclass(type(obj), Engine) and _base_engine(obj) is obj and obj not in _engines:
            _engines.add(obj)
            if not lives_in_process(obj):
                obj.dispose()


def _recording_raw_connection(self: Any, *args: Any, **kwargs: Any) -> Any:
    """``Engine.raw_connection`` under patch: record the engine, then SQLAlchemy's own."""
    _engines.add(_base_engine(self))
    return _raw_connection(self, *args, **kwargs)


def _disable_auto() -> None:
    """Called by ``forksafe.unpatch()``: engines made fork-safe explicitly stay so."""
    global _auto, _raw_connection
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.pool import Pool

    with _lock:
        if not _auto:
            return
        _auto = False
    if _raw_connection is not None:
        Engine.raw_connection = _raw_connection  # type: ignore[method-assign]
        _raw_connection = None
    for target, name, fn in ((Engine, "engine_connect", _track), (Pool, "connect", _lease_connection),
                             (Pool, "close", _release_connection)):
        if event.contains(target, name, fn):
            event.remove(target, name, fn)
