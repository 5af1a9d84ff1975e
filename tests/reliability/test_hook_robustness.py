"""Cases 7 and 11 of issue 15: the at-fork hook itself.

* Case 7: a daemon closes every descriptor (``os.closerange``) and opens new connections, one of
  them on the number forksafe had cached for ``/dev/null``. In its next child the quarantine must
  use a real ``/dev/null`` (not copy a live socket over the other leases, nor abort half-way on
  ``dup2(n, n)``), every later at-fork step must still run, and the daemon's sessions must live.
* Case 11: a connection held only in another thread's ``threading.local`` is freed while CPython
  clears the other threads' states in the child, before any at-fork hook runs; MySQLdb's and
  MySQL Connector's destructors then say goodbye on the shared socket. The parent's session must
  live (the raw control shows it dying).
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
import rel_support as rs
from harness.drivers import BY_NAME
from harness.forking import fork_children

pytestmark = pytest.mark.fork

DAEMON = r"""
import json, os, sys, time
import MySQLdb
import forksafe
from forksafe import _fork

KW = json.loads(os.environ["FS_KW"])
OUT = os.environ["FS_OUT"]
later_step_ran = []
_fork.on_child(lambda: later_step_ran.append(True))  # an at-fork step registered after forksafe's

def session(c):
    cur = c.cursor()
    cur.execute("SELECT CONNECTION_ID()")
    return cur.fetchone()[0]

def cached_devnull():
    module = sys.modules.get("forksafe._quarantine") or _fork
    return getattr(module, "_devnull_fd", None)

first = forksafe.connect(MySQLdb.connect, **KW)
session(first)
pid = os.fork()
if pid == 0:  # the daemon: its hook cached /dev/null; now it closes everything and starts over
    cached = cached_devnull()
    os.closerange(3, 4096)
    conns = [forksafe.connect(MySQLdb.connect, **KW) for _ in range(8)]
    ids = [session(c) for c in conns]
    fds = [c.forksafe_raw.fileno() for c in conns]
    drivers = [c.forksafe_raw for c in conns]
    grandchild = os.fork()
    if grandchild == 0:
        for d in drivers:
            d.close()  # the inherited driver objects say goodbye: harmless only if quarantined
        with open(OUT + ".child", "w") as f:
            json.dump({"later_step_ran": bool(later_step_ran)}, f)
        os._exit(0)
    os.waitpid(grandchild, 0)
    time.sleep(0.2)
    alive = []
    for c, i in zip(conns, ids):
        try:
            alive.append(session(c) == i)
        except Exception:
            alive.append(False)
    with open(OUT, "w") as f:
        json.dump({"reached": cached in fds, "alive": alive}, f)
    os._exit(0)
os.waitpid(pid, 0)
result = json.load(open(OUT))
result.update(json.load(open(OUT + ".child")))
print(json.dumps(result))
"""


def test_daemon_that_closed_every_descriptor(mariadb: Any, tmp_path: Any) -> None:
    _, kwargs = BY_NAME["MySQLdb"].connect_args(mariadb)
    env = rs.program_env(FS_KW=json.dumps(kwargs), FS_OUT=str(tmp_path / "out.json"))
    ran = rs.run_program(DAEMON, env=env, timeout=60, tmp_path=tmp_path)
    assert ran.returncode == 0, ran.explain()
    r = ran.result
    assert r["reached"], f"scenario not reached: no new socket took the cached /dev/null number: {r}"
    assert r["later_step_ran"], "the at-fork hook aborted half-way: later steps never ran"
    assert all(r["alive"]), f"the daemon's sessions were ended by its child: {r['alive']}"


@pytest.mark.parametrize("mode", ["forksafe", "raw"])
@pytest.mark.parametrize("driver", ["MySQLdb", "mysql.connector"])
def test_thread_local_connection_survives_fork_from_another_thread(driver: str, mode: str,
                                                                    mariadb: Any) -> None:
    spec = BY_NAME[driver]
    local = threading.local()
    local.conn = rs.connect(spec, mariadb) if mode == "forksafe" else rs.raw(spec, mariadb)
    session = rs.backend(local.conn, spec)
    outcomes: list[Any] = []
    # The handler thread forks (multiprocessing.Pool replacing a worker does this); the child
    # never touches the connection.
    forker = threading.Thread(target=lambda: outcomes.append(fork_children(lambda _: None, 1, timeout=20)))
    forker.start()
    forker.join(30)
    assert outcomes and outcomes[0].ok, outcomes
    time.sleep(0.2)
    try:
        survived = rs.backend(local.conn, spec) == session
    except Exception:
        survived = False
    if mode == "raw":
        assert not survived, "control: the raw driver's destructor no longer ends the parent's session"
    else:
        assert survived, "the child's thread clean-up ended the parent's session"
        local.conn.close()
