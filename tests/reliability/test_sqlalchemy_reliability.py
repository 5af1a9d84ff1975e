"""Cases 12 to 14 of issue 15: SQLAlchemy under ``forksafe run`` / ``make_fork_safe`` / a late
``forksafe.patch()``.

* 12: an in-memory SQLite engine (``create_engine("sqlite://")``, with ``StaticPool`` or the
  default pool) lives in the process: a forked child sees the copied data, as under plain Python,
  and making the engine fork-safe (explicitly or by patching late) never wipes the parent's data.
* 13: an engine used only through ``engine.raw_connection()`` is looked after too: the child's
  connections come from a new pool, so the pool's ``connect`` event (``SET search_path``) runs for
  them and rows land in the right schema.
* 14: importing SQLAlchemy under patch opens no forksafe connection (counted on the server), in a
  parent or in a child that imports it late.

Each zero-code program reports the type of the pool's driver connection: it must be forksafe's.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import rel_support as rs
from harness.drivers import BY_NAME

pytestmark = pytest.mark.fork

MEMORY = r"""
import json, os, sys
import forksafe

how, poolclass = sys.argv[1], sys.argv[2]
if how == "late-patch":
    pass  # patched below, after the engine was used
from sqlalchemy import create_engine, text
from sqlalchemy.pool import StaticPool
from forksafe.integrations.sqlalchemy import make_fork_safe

extra = {}
if poolclass == "static":
    extra = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
engine = create_engine("sqlite://", **extra)
with engine.begin() as c:
    c.execute(text("CREATE TABLE t (x INTEGER)"))
    c.execute(text("INSERT INTO t VALUES (1), (2), (3)"))

def rows():
    try:
        with engine.connect() as c:
            return c.execute(text("SELECT COUNT(*) FROM t")).scalar()
    except Exception as e:
        return type(e).__name__ + ": " + str(e).splitlines()[0]

if how == "make-fork-safe":
    make_fork_safe(engine)
elif how == "late-patch":
    forksafe.patch()
parent_after = rows()
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.write(w, json.dumps(rows()).encode())
    os._exit(0)
os.close(w)
os.waitpid(pid, 0)
child = json.loads(os.read(r, 1000))
raw = engine.raw_connection()
print(json.dumps({"parent": parent_after, "child": child, "parent_end": rows(),
                  "driver_type": type(raw.driver_connection).__module__}))
"""


@pytest.mark.parametrize("poolclass", ["static", "default"])
@pytest.mark.parametrize("how", ["forksafe-run", "make-fork-safe", "late-patch", "python"])
def test_in_memory_sqlite_engine_is_left_alone(how: str, poolclass: str, tmp_path: Any) -> None:
    ran = rs.run_program(MEMORY, under_forksafe_run=how == "forksafe-run", timeout=60, tmp_path=tmp_path,
                         argv_suffix=(how, poolclass))
    assert ran.returncode == 0, ran.explain()
    r = ran.result
    assert r["parent"] == 3 and r["parent_end"] == 3, f"the parent's in-memory database was wiped: {r}"
    assert r["child"] == 3, f"the child does not see the in-memory data it inherited: {r}"
    if how == "forksafe-run":
        assert r["driver_type"].startswith("forksafe"), f"the pool's connection is not forksafe's: {r}"
    if how == "late-patch":  # made before patching, and kept: re-making it would drop the database
        assert r["driver_type"] == "sqlite3", r


RAW_ONLY = r"""
import json, os, sys
from sqlalchemy import create_engine, event, text

url, schema = sys.argv[1], sys.argv[2]
engine = create_engine(url)

@event.listens_for(engine, "connect")
def set_search_path(dbapi_connection, record):
    cur = dbapi_connection.cursor()
    cur.execute(f"SET search_path TO {schema}")
    cur.close()
    dbapi_connection.commit()

def insert(who):
    raw = engine.raw_connection()  # the only way this program uses the engine
    try:
        cur = raw.cursor()
        cur.execute("INSERT INTO t (who) VALUES (%s)", (who,))
        cur.execute("SELECT pg_backend_pid()")
        session = cur.fetchone()[0]
        raw.commit()
        return session, type(raw.driver_connection).__module__
    finally:
        raw.close()

parent_session, driver_type = insert("parent")
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    session, _ = insert("child")
    os.write(w, json.dumps(session).encode())
    os._exit(0)
os.close(w)
os.waitpid(pid, 0)
child_session = json.loads(os.read(r, 100))
raw = engine.raw_connection()
cur = raw.cursor()
cur.execute(f"SELECT who FROM {schema}.t ORDER BY who")
in_schema = [row[0] for row in cur.fetchall()]
cur.execute("SELECT who FROM public.t ORDER BY who")
in_public = [row[0] for row in cur.fetchall()]
print(json.dumps({"in_schema": in_schema, "in_public": in_public, "driver_type": driver_type,
                  "parent_session": parent_session, "child_session": child_session}))
"""


@pytest.mark.parametrize("driver", ["psycopg2", "psycopg"])
def test_engine_used_only_through_raw_connection(driver: str, postgresql: Any, tmp_path: Any) -> None:
    spec = BY_NAME["psycopg"]
    schema = f"s_{uuid.uuid4().hex[:8]}"
    setup = rs.raw(spec, postgresql)
    for sql in (f"CREATE SCHEMA {schema}", f"CREATE TABLE {schema}.t (who TEXT)",
                "CREATE TABLE IF NOT EXISTS public.t (who TEXT)", "DELETE FROM public.t"):
        setup.execute(sql)
    setup.commit()
    setup.close()
    url = postgresql.url.replace("postgresql://", f"postgresql+{driver}://")
    ran = rs.run_program(RAW_ONLY, under_forksafe_run=True, timeout=60, tmp_path=tmp_path,
                         argv_suffix=(url, schema))
    assert ran.returncode == 0, ran.explain()
    r = ran.result
    assert r["driver_type"].startswith("forksafe"), f"the pool's connection is not forksafe's: {r}"
    assert r["child_session"] != r["parent_session"], r
    assert r["in_schema"] == ["child", "parent"] and r["in_public"] == [], \
        f"the child's row landed in the wrong schema (its session missed the pool's connect event): {r}"


IMPORT_LATE = r"""
import json, os, sys
import forksafe

dsn, where, how = sys.argv[1], sys.argv[2], sys.argv[3]
if how == "patch":
    forksafe.patch()
import psycopg
COUNT = ("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
         "AND pid <> pg_backend_pid()")

def sessions(counter):
    return counter.execute(COUNT).fetchone()[0]

unused = [psycopg.connect(dsn) for _ in range(5)]  # forksafe's, not opened yet
used = psycopg.connect(dsn)
used.execute("SELECT 1")
fs_type = [t.__module__ for t in {type(c) for c in unused}]

def check():
    counter = psycopg.connect(dsn, autocommit=True)  # pg_stat_activity is a snapshot per transaction
    before = sessions(counter)
    import sqlalchemy  # noqa: F401  the import that must open nothing
    import sqlalchemy.orm  # noqa: F401
    after = sessions(counter)
    return before, after

if where == "parent":
    before, after = check()
    print(json.dumps({"before": before, "after": after, "type": fs_type}))
else:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.write(w, json.dumps(check()).encode())
        os._exit(0)
    os.close(w)
    os.waitpid(pid, 0)
    before, after = json.loads(os.read(r, 100))
    print(json.dumps({"before": before, "after": after, "type": fs_type}))
"""


@pytest.mark.parametrize("how", ["patch", "forksafe-run"])
@pytest.mark.parametrize("where", ["parent", "child"])
def test_importing_sqlalchemy_opens_no_connection(where: str, how: str, postgresql: Any,
                                                  tmp_path: Any) -> None:
    ran = rs.run_program(IMPORT_LATE, under_forksafe_run=how == "forksafe-run", timeout=60, tmp_path=tmp_path,
                         argv_suffix=(postgresql.pg_dsn, where, how))
    assert ran.returncode == 0, ran.explain()
    r = ran.result
    assert all(t.startswith("forksafe") for t in r["type"]), f"the driver connections are not forksafe's: {r}"
    assert r["after"] == r["before"], f"importing SQLAlchemy opened {r['after'] - r['before']} sessions: {r}"


DJANGO_MEMORY = r"""
import json, os, sys
import django
from django.conf import settings

how = sys.argv[1]
settings.configure(DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
                   INSTALLED_APPS=[])
django.setup()
if how == "install":
    from forksafe.integrations.django import install
    install()
from django.db import connection

with connection.cursor() as cur:
    cur.execute("CREATE TABLE t (x INTEGER)")
    cur.execute("INSERT INTO t VALUES (1), (2)")

def rows():
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM t")
            return cur.fetchone()[0]
    except Exception as e:
        return type(e).__name__ + ": " + str(e)

r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.write(w, json.dumps(rows()).encode())
    os._exit(0)
os.close(w)
os.waitpid(pid, 0)
print(json.dumps({"child": json.loads(os.read(r, 1000)), "parent": rows(),
                  "driver_type": type(connection.connection).__module__}))
"""


@pytest.mark.parametrize("how", ["python", "install", "forksafe-run"])
def test_django_in_memory_sqlite_is_left_alone(how: str, tmp_path: Any) -> None:
    """The Django twin of case 12: an in-memory SQLite database survives into the child."""
    ran = rs.run_program(DJANGO_MEMORY, under_forksafe_run=how == "forksafe-run", timeout=60,
                         tmp_path=tmp_path, argv_suffix=(how,))
    assert ran.returncode == 0, ran.explain()
    r = ran.result
    assert r["child"] == 2 and r["parent"] == 2, r
    if how == "forksafe-run":
        assert r["driver_type"].startswith("forksafe"), f"Django's connection is not forksafe's: {r}"
