"""The original report, pushed hard: one connection made and used in the parent, 16 forked children
x 300 inserts through it, each child checking a reply only it can expect.

With forksafe every row lands, every child exits 0, nothing hangs, and the parent's connection still
works. The control runs the very same scenario on the raw driver connection and must fail: that is
what shows the scenario exercises the bug (docs/evidence.md: without the echo check MySQLdb's
control passes by luck).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from harness.drivers import DRIVERS, DriverSpec, unique_table
from harness.forking import Outcome, fork_children

import forksafe

CHILDREN = 16
ROWS = 300
CHILD_TIMEOUT = 90.0  # forksafe children finish in seconds; hung controls are killed at this bound
CONTROL_TIMEOUT = 10.0


def _prepare(conn: Any, spec: DriverSpec, table: str) -> Any:
    cur = conn.cursor()
    cur.execute(spec.create_table(table))
    conn.commit()
    cur.execute(spec.backend_id_sql())  # the parent really uses the connection before forking
    parent_backend = cur.fetchone()[0]
    return parent_backend


def _child_work(conn: Any, spec: DriverSpec, table: str, index: int) -> dict[str, Any]:
    token = f"child-{index}-{uuid.uuid4().hex}"
    insert = spec.sql(f"INSERT INTO {table} (who, n) VALUES (%s, %s)")
    echo = spec.sql("SELECT %s")
    for n in range(ROWS):
        cur = conn.cursor()
        cur.execute(echo, (f"{token}-{n}",))
        got = cur.fetchone()[0]
        if got != f"{token}-{n}":
            raise AssertionError(f"child {index} asked for its own token and got {got!r}")
        cur.execute(insert, (token, n))
        conn.commit()
    cur = conn.cursor()
    cur.execute(spec.backend_id_sql())
    return {"token": token, "backend": cur.fetchone()[0]}


def _count(conn: Any, table: str) -> int:
    cur = conn.cursor()
    cur.execute(f"SELECT COUNT(*) FROM {table}")
    (count,) = cur.fetchone()
    conn.commit()
    return int(count)


def _run(conn: Any, spec: DriverSpec, table: str, timeout: float, stop_early: bool = False) -> Outcome:
    return fork_children(lambda i: _child_work(conn, spec, table, i), CHILDREN, timeout=timeout,
                         stop_early=stop_early)


@pytest.mark.fork
@pytest.mark.parametrize("spec", DRIVERS, ids=lambda s: s.name)
def test_forksafe_connection_shared_by_forked_children(spec: DriverSpec, server_for: Any) -> None:
    args, kwargs = spec.connect_args(server_for(spec))
    table = unique_table()
    conn = forksafe.connect(spec.connect_fn, *args, **kwargs)
    parent_backend = _prepare(conn, spec, table)

    outcome = _run(conn, spec, table, CHILD_TIMEOUT)

    assert outcome.ok, outcome.summary()
    assert _count(conn, table) == CHILDREN * ROWS
    if spec.server != "sqlite":
        backends = {c.report["backend"] for c in outcome.children}
        assert len(backends) == CHILDREN and parent_backend not in backends
    # The parent's own session survived all of it.
    cur = conn.cursor()
    cur.execute(spec.backend_id_sql())
    assert cur.fetchone()[0] == parent_backend
    conn.close()


@pytest.mark.parametrize("spec", [d for d in DRIVERS if d.server != "sqlite"], ids=lambda s: s.name)
def test_control_raw_connection_shared_by_forked_children_breaks(spec: DriverSpec, server_for: Any) -> None:
    server = server_for(spec)
    args, kwargs = spec.connect_args(server)
    table = unique_table()
    conn = spec.connect_fn(*args, **kwargs)
    _prepare(conn, spec, table)

    outcome = _run(conn, spec, table, CONTROL_TIMEOUT, stop_early=True)

    checker = forksafe.connect(spec.connect_fn, *args, **kwargs)
    landed = _count(checker, table)
    checker.close()
    assert not outcome.ok or landed != CHILDREN * ROWS, (
        f"the raw {spec.name} connection survived {CHILDREN} children x {ROWS} rows: "
        "the scenario no longer exercises the bug"
    )
