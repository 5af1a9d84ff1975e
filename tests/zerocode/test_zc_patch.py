"""``forksafe.patch()`` / ``unpatch()``: what is replaced, that it is put back exactly, and that
the wrappers hand out working forksafe connections that know the user's line."""

from __future__ import annotations

import os
import pickle
import sqlite3  # noqa: F401  (loaded, so patch() finds it)
import sys
import threading
from types import ModuleType
from typing import Any

import mysql.connector  # noqa: F401  (loaded, so patch() finds it)
import MySQLdb
import MySQLdb.connections
import psycopg
import psycopg2
import psycopg_pool
import pymysql
import pytest
import zc_helpers as zc
from harness.drivers import BY_NAME
from harness.forking import fork_children

import forksafe
from forksafe import Connection
from forksafe._drivers import all_adapters
from forksafe._patch import is_patched, patched_names

FAMILIES = {a.name: a.modules for a in all_adapters()}


def _snapshot() -> dict[tuple[str, str], Any]:
    """Every attribute of every loaded driver module, and the psycopg classes' own dicts."""
    tops = {m for modules in FAMILIES.values() for m in modules}
    snap: dict[tuple[str, str], Any] = {}
    for name, module in list(sys.modules.items()):
        if isinstance(module, ModuleType) and name.split(".", 1)[0] in tops:
            for attr, value in vars(module).items():
                snap[(name, attr)] = value
    for cls in (psycopg.Connection, psycopg_pool.pool.ConnectionPool):
        for attr, value in vars(cls).items():
            snap[(cls.__qualname__, attr)] = value
    return snap


@pytest.fixture
def patched():
    forksafe.patch()
    yield
    forksafe.unpatch()


def test_round_trip_leaves_every_driver_exactly_as_it_was() -> None:
    before = _snapshot()
    meta_path = list(sys.meta_path)
    forksafe.patch()
    try:
        assert is_patched()
        names = set(patched_names())
        assert {"MySQLdb.connect", "MySQLdb.Connect", "MySQLdb.Connection", "pymysql.connect",
                "pymysql.Connect", "psycopg2.connect", "psycopg.connect", "psycopg.Connection.connect",
                "mysql.connector.connect", "sqlite3.connect", "sqlite3.dbapi2.connect"} <= names, names
        during = _snapshot()
        changed = {k for k in before if during.get(k) is not before[k]}
        assert changed and all(isinstance(during[k], object) for k in changed)
        # Classes are never replaced under their own names: isinstance keeps working.
        assert pymysql.connections.Connection is before[("pymysql.connections", "Connection")]
        assert pymysql.Connection is before[("pymysql", "Connection")]
        forksafe.patch()  # idempotent: nothing wrapped twice
        again = _snapshot()
        assert again.keys() == during.keys() and all(again[k] is during[k] for k in during)
    finally:
        forksafe.unpatch()
    after = _snapshot()
    assert after.keys() == before.keys()
    assert all(after[k] is before[k] for k in before), [k for k in before if after[k] is not before[k]]
    assert sys.meta_path == meta_path and not is_patched() and patched_names() == []


def test_concurrent_patch_and_unpatch_from_threads() -> None:
    original = MySQLdb.connect
    barrier = threading.Barrier(8)

    def hammer() -> None:
        barrier.wait()
        for _ in range(50):
            forksafe.patch()

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert MySQLdb.connect.__wrapped__ is original  # exactly one layer
        assert patched_names().count("MySQLdb.connect") == 1
    finally:
        forksafe.unpatch()
    assert MySQLdb.connect is original


def test_patched_connect_names_the_users_line(patched, mariadb) -> None:
    _, kwargs = BY_NAME["MySQLdb"].connect_args(mariadb)
    conn = MySQLdb.connect(**kwargs); line = sys._getframe().f_lineno  # noqa: E702
    assert isinstance(conn, Connection) and isinstance(conn, MySQLdb.connections.Connection)
    assert conn._fs_own.origin == f"{__file__}:{line}"
    conn.close()


def test_origin_through_sqlalchemy_is_the_users_line(patched, postgresql) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(postgresql.url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as c: line = sys._getframe().f_lineno; c.execute(text("SELECT 1"))  # noqa: E701,E702
    origin = engine.pool._pool.queue[0].dbapi_connection._fs_own.origin
    engine.dispose()
    assert origin == f"{__file__}:{line}"


def test_no_double_wrapping(patched, mariadb, postgresql) -> None:
    _, kwargs = BY_NAME["MySQLdb"].connect_args(mariadb)
    conn = forksafe.connect(MySQLdb.connect, **kwargs)  # a patched function given to forksafe.connect
    raw = conn.forksafe_raw
    assert type(raw) is MySQLdb.connections.Connection
    conn.close()
    pg = forksafe.connect(psycopg2.connect, postgresql.pg_dsn)
    assert type(pg).__mro__[1] is psycopg2.extensions.connection
    pg.close()


def test_psycopg_classmethod_subclasses_and_pool(patched, postgresql) -> None:
    class MyConnection(psycopg.Connection):
        pass

    conn = MyConnection.connect(postgresql.pg_dsn)
    assert type(conn) is Connection and isinstance(conn, MyConnection)
    assert conn.execute("SELECT 1").fetchone() == (1,)
    conn.close()
    pool = psycopg_pool.ConnectionPool(postgresql.pg_dsn, min_size=1, max_size=2, open=True, timeout=30)
    with pool, pool.connection() as pooled:
        assert type(pooled) is Connection
        assert pooled.execute("SELECT 2").fetchone() == (2,)


@pytest.mark.parametrize("name", ["MySQLdb", "pymysql", "mysql.connector", "psycopg2", "psycopg", "sqlite3"])
def test_every_patched_driver_connects_and_survives_fork(patched, name: str, server_for) -> None:
    spec = BY_NAME[name]
    args, kwargs = spec.connect_args(server_for(spec))
    conn = spec.connect_fn(*args, **kwargs)
    assert type(conn) is Connection or hasattr(type(conn), "_fs_switch"), type(conn)
    cur = conn.cursor()
    cur.execute(spec.sql("SELECT %s"), ("parent",))
    assert cur.fetchone()[0] == "parent"

    def child(i: int) -> Any:
        c = conn.cursor()
        c.execute(spec.sql("SELECT %s"), (f"child-{i}",))
        return c.fetchone()[0]

    outcome = fork_children(child, 4, timeout=60)
    assert outcome.ok, outcome.summary()
    assert sorted(c.report for c in outcome.children) == [f"child-{i}" for i in range(4)]
    cur = conn.cursor()
    cur.execute(spec.sql("SELECT %s"), ("parent-after",))
    assert cur.fetchone()[0] == "parent-after"
    conn.close()


def test_patched_connection_pickles_as_its_recipe(patched, postgresql) -> None:
    conn = psycopg.connect(postgresql.pg_dsn)
    copy = pickle.loads(pickle.dumps(conn))
    assert type(copy) is Connection and copy is not conn
    assert copy.execute("SELECT 3").fetchone() == (3,)
    assert type(copy.forksafe_raw) is psycopg.Connection  # not a proxy inside a proxy
    copy.close()
    conn.close()


def test_driver_imported_after_patch_is_covered_and_restored() -> None:
    probe = """
import sys, forksafe
from forksafe._patch import patched_names
assert "MySQLdb" not in sys.modules and "psycopg" not in sys.modules
forksafe.patch()
import MySQLdb, psycopg
from MySQLdb import connect
import MySQLdb.connections
assert connect is MySQLdb.connect and MySQLdb.Connection is connect and MySQLdb.Connect is connect
assert type(MySQLdb.connect.__wrapped__).__name__ == "function"
assert "MySQLdb.connect" in patched_names() and "psycopg.Connection.connect" in patched_names()
assert MySQLdb.__loader__.__class__.__name__ != "_Loader" and MySQLdb.__spec__.loader is MySQLdb.__loader__
wrapped = MySQLdb.connect
forksafe.unpatch()
assert MySQLdb.connect is wrapped.__wrapped__ and MySQLdb.Connection is MySQLdb.connect
assert type(psycopg.Connection.__dict__["connect"]) is classmethod
assert psycopg.Connection.__dict__["connect"].__func__.__module__ == "psycopg.connection"
import pymysql  # imported after unpatch: untouched
assert pymysql.connect is pymysql.connections.Connection
print("ok")
"""
    ran = zc.run([zc.PYTHON, "-c", probe], zc.clean_env())
    assert ran.returncode == 0 and ran.stdout.strip() == "ok", ran.explain()


def test_bad_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="on_fork must be one of reconnect, raise, warn"):
        forksafe.patch(on_fork="sometimes")
    assert not is_patched()


def test_patch_policy_applies_to_patched_connections(mariadb) -> None:
    _, kwargs = BY_NAME["MySQLdb"].connect_args(mariadb)
    forksafe.patch(on_fork="raise")
    try:
        conn = MySQLdb.connect(**kwargs)
    finally:
        forksafe.unpatch()
    conn.cursor().execute("SELECT 1")  # opened in the parent: a child would inherit it

    def child(i: int) -> Any:
        try:
            conn.cursor()
        except forksafe.ForkedConnectionError as e:
            return str(e)
        return "no error"

    outcome = fork_children(child, 1, timeout=60)
    assert outcome.ok, outcome.summary()
    message = outcome.children[0].report
    assert f"made in process {os.getpid()} at {__file__}:" in message, message
    assert f"forked process {outcome.children[0].pid}" in message, message
    conn.close()


def test_frameworks_imported_after_patch_are_switched_on() -> None:
    """SQLAlchemy and Django imported after patch(): their integrations switch on from the import
    hook, without loading Django's settings (none are configured here) and without breaking fork."""
    probe = """
import os, sys, tempfile, forksafe
forksafe.patch()
import sqlalchemy, django.db
from forksafe.integrations import sqlalchemy as fsa, django as fdj
# A file database: an in-memory one is the child's own copy, and is left alone on purpose.
engine = sqlalchemy.create_engine("sqlite:///" + os.path.join(tempfile.mkdtemp(), "app.db"))
with engine.connect():
    pass
assert fsa.is_fork_safe(engine) and fdj._auto
assert not django.conf.settings.configured
parent_pool = engine.pool
pid = os.fork()
if pid == 0:
    os._exit(0 if engine.pool is not parent_pool and not django.conf.settings.configured else 3)
assert engine.pool is parent_pool
assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
forksafe.unpatch()
assert not fsa.is_fork_safe(engine) and not fdj._auto
print("ok")
"""
    env = zc.clean_env()
    env.pop("DJANGO_SETTINGS_MODULE", None)
    ran = zc.run([zc.PYTHON, "-c", probe], env)
    assert ran.returncode == 0 and ran.stdout.strip() == "ok", ran.explain()
