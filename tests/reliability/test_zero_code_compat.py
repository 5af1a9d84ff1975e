"""Case 8 of issue 15: ``forksafe run`` never turns a working program into a failing one.

Where a driver object is required, forksafe's steps aside or passes: a ``forksafe.Pool`` whose
factory is a lambda calling the (patched) driver gets the driver's own connection, and sqlite3's
``backup(target)`` (a C type check; Django's SQLite test-database cloning uses it) accepts
forksafe's connections. Each program runs under plain ``python`` (the control: it works) and under
``forksafe run``, where the connections must really be forksafe's.
"""

from __future__ import annotations

from typing import Any

import pytest
import rel_support as rs

pytestmark = pytest.mark.fork

PROGRAM = r"""
import json, os, sys
import sqlite3
import psycopg2
import forksafe

path, dsn = sys.argv[1], sys.argv[2]

sqlite_pool = forksafe.Pool(lambda: sqlite3.connect(path))
with sqlite_pool.connection() as c:
    c.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
    c.execute("INSERT INTO t VALUES (1)")
    c.commit()
    sqlite_pooled = type(c).__module__

def make_pg():
    return psycopg2.connect(dsn)

pg_pool = forksafe.Pool(make_pg)
with pg_pool.connection() as c:
    cur = c.cursor()
    cur.execute("SELECT 1")
    pg_pooled = type(c).__module__

src = sqlite3.connect(path)
dst = sqlite3.connect(":memory:")
src.backup(dst)
backup_rows = dst.execute("SELECT COUNT(*) FROM t").fetchone()[0]
print(json.dumps({"sqlite_pooled": sqlite_pooled, "pg_pooled": pg_pooled, "backup_rows": backup_rows,
                  "conn_type": type(src).__module__, "pg_type": type(psycopg2.connect(dsn)).__module__}))
"""


@pytest.mark.parametrize("mode", ["python", "forksafe-run"])
def test_pool_factory_and_sqlite_backup(mode: str, postgresql: Any, tmp_path: Any) -> None:
    ran = rs.run_program(PROGRAM, under_forksafe_run=mode == "forksafe-run", timeout=60, tmp_path=tmp_path,
                         argv_suffix=(str(tmp_path / "db.sqlite3"), postgresql.pg_dsn))
    assert ran.returncode == 0, ran.explain()
    r = ran.result
    assert r["backup_rows"] == 1, r
    assert r["sqlite_pooled"] == "sqlite3" and r["pg_pooled"].startswith("psycopg2"), r
    if mode == "forksafe-run":
        assert r["conn_type"].startswith("forksafe") and r["pg_type"].startswith("forksafe"), \
            f"the driver connections are not forksafe's under forksafe run: {r}"
    else:
        assert r["conn_type"] == "sqlite3", r
