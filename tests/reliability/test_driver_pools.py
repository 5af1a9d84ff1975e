"""Case 4 of issue 15: mysql-connector's own pooling (``pool_name=``) never hands a forked child one
of the parent's sessions, and the parent's pooled sessions outlive the child.

The raw control shows the bug: the child's "new" pooled connection is one of the parent's idle
sessions. Every check reads server-side connection ids.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import rel_support as rs
from harness.drivers import BY_NAME

import forksafe

pytestmark = pytest.mark.fork
SPEC = BY_NAME["mysql.connector"]


def _pool_kwargs(mariadb: Any) -> dict[str, Any]:
    _, kwargs = SPEC.connect_args(mariadb)
    return {**kwargs, "pool_name": f"p{uuid.uuid4().hex[:8]}", "pool_size": 3}


def _idle_sessions(name: str, n: int) -> list[Any]:
    """Borrow ``n`` pooled connections at once, read their ids, give them back."""
    import mysql.connector

    borrowed = [mysql.connector.connect(pool_name=name) for _ in range(n)]
    ids = [rs.scalar(c, "SELECT CONNECTION_ID()") for c in borrowed]
    for c in borrowed:
        c.close()
    return ids


def test_pool_name_child_gets_a_session_of_its_own(mariadb: Any) -> None:
    import mysql.connector

    kwargs = _pool_kwargs(mariadb)
    name = kwargs["pool_name"]
    conn = forksafe.connect(mysql.connector.connect, **kwargs)
    mine = rs.scalar(conn, "SELECT CONNECTION_ID()")
    idle = _idle_sessions(name, 2)
    parents = {mine, *idle}

    def child(_: int) -> Any:
        own = rs.scalar(conn, "SELECT CONNECTION_ID()")  # the child's first use
        other = mysql.connector.connect(pool_name=name)  # and a pooled connection by name
        try:
            return [own, rs.scalar(other, "SELECT CONNECTION_ID()")]
        finally:
            other.close()

    [child_sessions] = rs.in_child(child)
    assert not parents & set(child_sessions), f"the child got the parent's pooled sessions {parents}"
    assert rs.scalar(conn, "SELECT CONNECTION_ID()") == mine
    assert sorted(_idle_sessions(name, 2)) == sorted(idle), "the parent's idle pooled sessions died"
    conn.close()


ZERO_CODE = """
import json, os, sys
import mysql.connector

kwargs = json.loads(os.environ["FS_KWARGS"])
name = kwargs["pool_name"]

def session(conn):
    cur = conn.cursor()
    cur.execute("SELECT CONNECTION_ID()")
    return cur.fetchone()[0]

conn = mysql.connector.connect(**kwargs)
mine = session(conn)
idle = [mysql.connector.connect(pool_name=name) for _ in range(2)]
idle_ids = sorted(session(c) for c in idle)
for c in idle:
    c.close()
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    other = mysql.connector.connect(pool_name=name)
    os.write(w, json.dumps(session(other)).encode())
    other.close()
    os._exit(0)
os.close(w)
os.waitpid(pid, 0)
child = json.loads(os.read(r, 100))
again = [mysql.connector.connect(pool_name=name) for _ in range(2)]
print(json.dumps({"type": type(conn).__module__, "mine": mine, "idle": idle_ids, "child": child,
                  "mine_after": session(conn), "idle_after": sorted(session(c) for c in again)}))
"""


@pytest.mark.parametrize("mode", ["forksafe-run", "raw"])
def test_pool_name_in_a_program(mode: str, mariadb: Any, tmp_path: Any) -> None:
    """The control runs without forksafe at all (importing forksafe resets driver pools in
    children for every program, forksafe's connections or not)."""
    env = rs.program_env(FS_KWARGS=json.dumps(_pool_kwargs(mariadb)))
    ran = rs.run_program(ZERO_CODE, under_forksafe_run=mode != "raw", env=env, timeout=60, tmp_path=tmp_path)
    assert ran.returncode == 0, ran.explain()
    r = ran.result
    if mode == "raw":
        assert r["child"] in [r["mine"], *r["idle"]], f"control: the raw pool no longer shares: {r}"
        return
    assert r["type"].startswith("forksafe"), f"the driver's connection is not forksafe's: {r}"
    assert r["child"] != r["mine"] and r["child"] not in r["idle"], r
    assert r["mine_after"] == r["mine"] and r["idle_after"] == r["idle"], r
