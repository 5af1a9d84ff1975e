"""Each safety layer on its own (issue 15, "each safety layer tested on its own").

forksafe keeps a child away from its parent's session twice over: the proxy layer never acts on
an inherited driver object (``close()`` abandons it, a cursor refuses), and the quarantine points
the inherited descriptors at ``/dev/null`` in the at-fork hook. Either alone hides a bug in the
other, so each is tested alone:

* **The proxy layer, seen in a syscall trace.** Under ``strace -f -yy`` the child makes no
  ``write``/``send``/``shutdown``/``close`` on the inherited descriptor numbers, for every driver
  and every way a child ends with its copy (close, drop + GC, use). A ``close()`` that reached the
  driver would show as ``close(N</dev/null>)``: hidden from the server by the quarantine, caught here.
* **The quarantine, with the proxy layer bypassed.** The child acts on the inherited *driver
  object* itself (what a library holding it does): closes it through the driver (the protocol's
  goodbye), or for SQLite writes through it. With the quarantine the parent is untouched; with the
  quarantine switched off for that fork, the same test must see the parent harmed, proving the
  test can fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from typing import Any, Iterator

import pytest
import rel_support as rs
from harness.drivers import DRIVERS, DriverSpec, unique_table
from harness.forking import fork_children

from forksafe import _fork

pytestmark = pytest.mark.fork

TRACED = r"""
import gc, json, os, sys
from harness.drivers import BY_NAME
import forksafe
from forksafe._drivers import adapter_for_function

driver, action = sys.argv[1], sys.argv[2]
spec = BY_NAME[driver]
call = json.loads(os.environ["FS_CALL"])
conn = forksafe.connect(spec.connect_fn, *call["args"], **call["kwargs"])
cur = conn.cursor()
cur.execute(spec.backend_id_sql())
before = cur.fetchone()[0]
conn.commit()
raw = getattr(conn, "forksafe_raw", conn)
if spec.server == "sqlite":
    db = os.path.realpath(call["args"][0])
    fds = []
    for n in os.listdir("/proc/self/fd"):
        try:
            if os.path.realpath(os.readlink(f"/proc/self/fd/{n}")).startswith(db):
                fds.append(int(n))
        except OSError:
            pass  # the listing's own descriptor
else:
    fds = adapter_for_function(spec.connect_fn).fds(raw)
del raw
pid = os.fork()
if pid == 0:
    if action == "close":
        conn.close()
    elif action == "gc":
        del conn, cur
        gc.collect()
    elif action == "use":
        c = conn.cursor()
        c.execute(spec.backend_id_sql())
        c.fetchone()
        conn.commit()
        conn.close()
    os._exit(0)
os.waitpid(pid, 0)
cur = conn.cursor()
cur.execute(spec.backend_id_sql())
print(json.dumps({"child": pid, "fds": fds, "parent_ok": cur.fetchone()[0] == before}))
"""
_CALL = re.compile(r"^(write|writev|sendto|sendmsg|close|shutdown)\((\d+)<")


@pytest.mark.parametrize("action", ["close", "gc", "use"])
@pytest.mark.parametrize("spec", DRIVERS, ids=lambda s: s.name)
def test_strace_child_never_touches_inherited_descriptors(spec: DriverSpec, action: str, server_for: Any,
                                                          tmp_path: Any) -> None:
    server = server_for(spec)
    args, kwargs = spec.connect_args(server)
    trace = tmp_path / "trace"
    trace.mkdir()
    env = rs.program_env(FS_CALL=json.dumps({"args": list(args), "kwargs": kwargs}))
    strace = ("strace", "-f", "-ff", "-qq", "-yy", "-e", "trace=write,writev,sendto,sendmsg,close,shutdown",
              "-o", str(trace / "t"))
    ran = rs.run_program(TRACED, env=env, timeout=90, tmp_path=tmp_path, argv_prefix=strace,
                         argv_suffix=(spec.name, action))
    assert ran.returncode == 0, ran.explain()
    r = ran.result
    assert r["parent_ok"], r
    assert r["fds"], f"no inherited descriptors found: the trace would check nothing: {r}"
    with open(trace / f"t.{r['child']}") as f:
        lines = f.read().splitlines()
    touched = [line for line in lines if (m := _CALL.match(line)) and int(m.group(2)) in r["fds"]]
    assert touched == [], f"the child acted on inherited descriptors {r['fds']}:\n" + "\n".join(touched[:5])
    parent_calls = []
    for name in os.listdir(trace):
        if name != f"t.{r['child']}":
            with open(trace / name) as f:
                parent_calls += [line for line in f
                                 if (m := _CALL.match(line)) and int(m.group(2)) in r["fds"]]
    assert parent_calls, "the parent's own traffic on those descriptors was not traced: the trace is blind"


# -- the quarantine alone ----------------------------------------------------------------------------

@contextlib.contextmanager
def quarantine_switched_off() -> Iterator[None]:
    """For forks made inside: the at-fork quarantine step does nothing (everything else runs)."""
    from forksafe import _quarantine

    index = _fork._child.index(_quarantine._quarantine_in_child)
    _fork._child[index] = lambda: None
    try:
        yield
    finally:
        _fork._child[index] = _quarantine._quarantine_in_child


def _close_through_the_driver(spec: DriverSpec, conn: Any) -> Any:
    """What the child does with the inherited driver object, bypassing forksafe's proxy layer."""
    if spec.name == "psycopg2":
        import psycopg2.extensions

        return lambda: psycopg2.extensions.connection.close(conn)  # the C class's own close
    driver_object = conn.forksafe_raw
    return driver_object.close


def _harm_and_check(spec: DriverSpec, server: Any, quarantine: bool) -> bool:
    """True if the parent came through unharmed."""
    conn = rs.connect(spec, server)
    if spec.server == "sqlite":
        table = unique_table("q")
        rs.scalar(conn, spec.create_table(table))
        conn.commit()
        driver_object = conn.forksafe_raw

        def act() -> None:
            try:
                driver_object.execute(f"INSERT INTO {table} (who, n) VALUES ('child', 1)")
                driver_object.commit()
            except Exception:
                pass  # the quarantined file refuses the write: the point

        def unharmed() -> bool:
            return int(rs.scalar(conn, f"SELECT COUNT(*) FROM {table} WHERE who = 'child'")) == 0
    else:
        session = rs.backend(conn, spec)
        act = _close_through_the_driver(spec, conn)

        def unharmed() -> bool:
            try:
                return bool(rs.backend(conn, spec) == session)
            except Exception:
                return False

    with quarantine_switched_off() if not quarantine else contextlib.nullcontext():
        outcome = fork_children(lambda _: act(), 1, timeout=30)
    assert outcome.ok, outcome.summary()
    time.sleep(0.2)
    ok = unharmed()
    if ok:
        conn.close()
    return ok


@pytest.mark.parametrize("spec", DRIVERS, ids=lambda s: s.name)
def test_quarantine_alone_protects_the_parent(spec: DriverSpec, server_for: Any) -> None:
    assert _harm_and_check(spec, server_for(spec), quarantine=True), \
        "the child reached the parent's session through the inherited driver object"


@pytest.mark.parametrize("spec", DRIVERS, ids=lambda s: s.name)
def test_without_the_quarantine_the_same_child_harms_the_parent(spec: DriverSpec, server_for: Any) -> None:
    """The proof that the test above can fail: switch the quarantine off and the parent is harmed."""
    assert not _harm_and_check(spec, server_for(spec), quarantine=False), \
        "with the quarantine off the parent was unharmed: the test above checks nothing"
