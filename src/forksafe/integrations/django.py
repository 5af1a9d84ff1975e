"""Django: a forked child's database connections are its own; the parent's are quarantined.

Django keeps one connection handle per alias per thread (``django.db.connections``) and, since
5.1, one psycopg pool per alias for the process (``OPTIONS: {"pool": True}``). A child forked by
Celery's prefork pool, ``gunicorn --preload`` or multiprocessing inherits both, and Django does
not reset them (its ticket 31637). The usual advice, ``connection.close()`` in the child, sends
the protocol's goodbye on the parent's socket (docs/evidence.md, a child that closes its copy) and closing the
inherited pool waits for worker threads that do not exist in the child.

What this does, in the child's at-fork hook, before any of the child's code runs:

* every initialised connection handle of the forking thread forgets its connection (except an
  in-memory SQLite database's, which lives in the process: the child keeps its copy)
  (``wrapper.connection = None`` and the transaction bookkeeping reset to a fresh handle's), so
  Django opens a new one at the next query, in the child;
* every psycopg pool Django made is taken out of Django's pool registry, so the child's first
  query makes a new pool (with its own worker threads); the inherited pool object is kept alive
  and never used, so nothing (its destructor, its threads' missing replies) acts on it;
* the parent's connections are quarantined (``/dev/null`` behind their descriptors): those made
  through ``forksafe.patch()`` already are; the others are leased when Django makes them (the
  ``connection_created`` signal) and, for idle pooled connections, in the hook itself.

Two ways to switch it on: ``forksafe.patch()`` / ``forksafe run`` do it when Django is imported,
and for settings-only set-ups one line in ``settings.py``::

    INSTALLED_APPS = [..., "forksafe.integrations.django.ForkSafeConfig"]

(or call :func:`install` anywhere before the first fork).

Not covered: a fork *inside* ``transaction.atomic()`` (the child's handle is reset, so leaving
the block there raises Django's own "connection is closed" errors instead of committing the
parent's transaction), and connections of threads other than the forking one (they do not
exist in the child; their descriptors are still quarantined).
"""

from __future__ import annotations

import os
import sys
import threading
import warnings
from typing import Any

from django.apps import AppConfig

from .._drivers import adapter_for_connection
from .._fork import on_child
from .._proxy import Connection as _ForkSafeProxy
from .._quarantine import Lease
from ..errors import ForkSafetyWarning

__all__ = ["ForkSafeConfig", "install"]

_lock = threading.Lock()
_installed = False  # install() / the app config
_auto = False  # forksafe.patch()
_hooked = False
_inherited: list[Any] = []  # the parent's connections and pools, kept alive and unused in a child
_LEASE_ATTR = "_forksafe_lease"

# A fresh handle's transaction bookkeeping (BaseDatabaseWrapper.__init__), set again in the child.
_FRESH_STATE: tuple[tuple[str, Any], ...] = (
    ("autocommit", False), ("in_atomic_block", False), ("savepoint_state", 0), ("commit_on_exit", True),
    ("needs_rollback", False), ("rollback_exc", None), ("closed_in_transaction", False),
    ("errors_occurred", False), ("health_check_done", False),
    ("run_commit_hooks_on_set_autocommit_on", False),
)
_FRESH_LISTS = ("savepoint_ids", "atomic_blocks", "run_on_commit")


def install() -> None:
    """Make Django's connections fork-safe in this process and every child forked from it."""
    global _installed
    with _lock:
        _installed = True
    _setup()


def _enable_auto() -> None:
    global _auto
    with _lock:
        _auto = True
    _setup()


def _disable_auto() -> None:
    global _auto
    with _lock:
        _auto = False


def _setup() -> None:
    global _hooked
    from django.db.backends.signals import connection_created

    connection_created.connect(_lease_new_connection, dispatch_uid="forksafe.integrations.django")
    with _lock:
        if not _hooked:
            _hooked = True
            on_child(_after_fork_in_child)
    # Connections this thread already opened (install() after the first query). Never load the
    # settings here: this also runs from the import hook, while django.db is being imported.
    if not _settings_loaded():
        return
    from django.db import connections

    try:
        wrappers = connections.all(initialized_only=True)
    except Exception:
        return
    for wrapper in wrappers:
        if wrapper.connection is not None:
            _lease(wrapper, wrapper.connection)


def _settings_loaded() -> bool:
    """True once Django's settings were read: before that no connection can exist."""
    conf = sys.modules.get("django.conf")
    return conf is not None and bool(getattr(conf.settings, "configured", False))


def _lease_new_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.connection is not None:
        _lease(connection, connection.connection)


def _is_forksafe(conn: Any) -> bool:
    return type(conn) is _ForkSafeProxy or hasattr(type(conn), "_fs_switch")


def _fds(conn: Any) -> list[int]:
    adapter = adapter_for_connection(conn)
    if adapter is None or adapter.fds is None:
        return []
    try:
        return adapter.fds(conn)
    except Exception:
        return []


def _lease(wrapper: Any, conn: Any) -> None:
    """Record a connection's descriptors so a forked child quarantines them at once."""
    if _is_forksafe(conn):
        return
    fds = _fds(conn)
    if fds:
        setattr(wrapper, _LEASE_ATTR, Lease(fds))


def _after_fork_in_child() -> None:
    if not (_installed or _auto):
        return
    try:
        _reset_in_child()
    except Exception as e:  # never let Django's state break forksafe's own at-fork hook
        warnings.warn(f"forksafe could not reset Django's connections in process {os.getpid()}: {e!r}",
                      ForkSafetyWarning, stacklevel=1)


def _reset_in_child() -> None:
    db = sys.modules.get("django.db")
    if db is not None:
        _reset_handles(db.connections)
    pg = sys.modules.get("django.db.backends.postgresql.base")
    if pg is not None:
        _drop_pools(pg.DatabaseWrapper._connection_pools)


def _reset_handles(connections: Any) -> None:
    if not _settings_loaded():
        return  # nothing was opened, and loading settings in an at-fork hook is no place to start
    try:
        wrappers = connections.all(initialized_only=True)
    except Exception:  # settings not configured yet: nothing was opened
        return
    for wrapper in wrappers:
        if _lives_in_process(wrapper):
            continue  # in-memory SQLite: the child's copy of the database is this very connection
        if wrapper.connection is not None:
            _inherited.append(wrapper.connection)
        wrapper.connection = None
        for name, value in _FRESH_STATE:
            if hasattr(wrapper, name):
                setattr(wrapper, name, value)
        for name in _FRESH_LISTS:
            if hasattr(wrapper, name):
                setattr(wrapper, name, [])
        if hasattr(wrapper, _LEASE_ATTR):
            delattr(wrapper, _LEASE_ATTR)


def _lives_in_process(wrapper: Any) -> bool:
    """An in-memory SQLite database (Django's test database among them) lives in the process:
    nothing is shared with the parent, and forgetting the connection would drop the database."""
    check = getattr(wrapper, "is_in_memory_db", None)
    try:
        return bool(check()) if callable(check) else False
    except Exception:
        return False


def _drop_pools(pools: dict[str, Any]) -> None:
    for alias, pool in list(pools.items()):
        _inherited.append(pool)
        pools.pop(alias, None)
        # Idle connections sit in the pool's deque (psycopg_pool's private ``_pool``); the ones
        # forksafe did not make are cut off here. psycopg 3 would not close them from a child
        # anyway (its destructor checks the pid); this keeps it so whatever touches them.
        for conn in list(getattr(pool, "_pool", ()) or ()):
            if not _is_forksafe(conn):
                fds = _fds(conn)
                if fds:
                    Lease(fds).quarantine()


class ForkSafeConfig(AppConfig):  # type: ignore[misc]  # Django ships no type information
    """``INSTALLED_APPS += ["forksafe.integrations.django.ForkSafeConfig"]``: the one settings line."""

    name = "forksafe.integrations.django"
    label = "forksafe"
    verbose_name = "forksafe"

    def ready(self) -> None:
        install()
