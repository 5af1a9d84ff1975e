"""A seeded random schedule over forksafe's whole life cycle (issue 15, property-style stress).

Steps, drawn at random: connect, use (insert a token and commit), change a session setting with
the driver's method (autocommit), reconnect (close and connect anew), fork a child whose threads
make their first use of several inherited connections at once and write, close, drop without
closing plus a forced GC. Invariants checked as it goes and at the end:

* nothing hangs (every child and thread has a deadline);
* every acknowledged write is in the database at the end (commits, and autocommit inserts);
* no session is shared between processes (server-side backend ids: a child's sessions are its
  own, one per connection whatever its threads did, none of them the parent's);
* the parent's session never changes unless it reconnected.

``FS_STRESS_SEED`` picks the schedule (default: a fixed one, so a failure repeats); the run stops
after ``STEPS`` steps or ``BUDGET`` seconds, whichever comes first.
"""

from __future__ import annotations

import gc
import os
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Optional

import pytest
import rel_support as rs
from harness.drivers import BY_NAME, DriverSpec
from harness.forking import fork_children

pytestmark = pytest.mark.fork

SEED = int(os.environ.get("FS_STRESS_SEED", "20261201"))
STEPS = 500
BUDGET = 40.0
THREADS = 4
SPECS = [BY_NAME["psycopg"], BY_NAME["pymysql"], BY_NAME["MySQLdb"]]


@dataclass
class Tracked:
    spec: DriverSpec
    conn: Any
    session: Optional[Any] = None  # the parent's session, once opened
    autocommit: bool = False


@dataclass
class World:
    servers: dict[str, Any]
    tables: dict[str, str]
    rng: random.Random
    live: list[Tracked] = field(default_factory=list)
    acked: dict[str, set[str]] = field(default_factory=dict)  # table -> tokens that must be there
    log: list[str] = field(default_factory=list)

    def token(self) -> str:
        return uuid.uuid4().hex[:12]


def _set_autocommit(t: Tracked, on: bool) -> None:
    if t.spec.name == "psycopg":
        t.conn.set_autocommit(on)
    else:
        t.conn.autocommit(on)
    t.autocommit = on


def _write(t: Tracked, table: str, token: str) -> Any:
    """Insert ``token`` (committed, or in autocommit mode not); the session id it went through."""
    cur = t.conn.cursor()
    cur.execute(t.spec.sql(f"INSERT INTO {table} (who, n) VALUES (%s, 0)"), (token,))
    if not t.autocommit:
        t.conn.commit()
    cur.execute(t.spec.backend_id_sql())
    session = cur.fetchone()[0]
    if not t.autocommit:
        t.conn.commit()  # end the read's transaction (autocommit changes need an idle session)
    return session


def _step_use(w: World) -> None:
    if not w.live:
        return
    t = w.rng.choice(w.live)
    table = w.tables[t.spec.name]
    token = w.token()
    session = _write(t, table, token)
    w.acked.setdefault(table, set()).add(token)
    if t.session is None:
        t.session = session
    assert session == t.session, f"the parent's session changed without a reconnect: {w.log[-5:]}"


def _step_fork(w: World) -> None:
    chosen = [t for t in w.live if w.rng.random() < 0.7]
    if not chosen:
        return
    tables = [w.tables[t.spec.name] for t in chosen]

    def child(_: int) -> dict[str, Any]:
        done: list[tuple[int, str, str, Any]] = []
        errors: list[str] = []
        serial = threading.Lock()
        start = threading.Barrier(THREADS)

        def worker(k: int) -> None:
            try:
                start.wait(10)
                for t in chosen:
                    assert t.conn.forksafe_raw is not None  # first use, racing with the other threads
                with serial:
                    for i, t in enumerate(chosen):
                        token = uuid.uuid4().hex[:12]
                        done.append((i, tables[i], token, _write(t, tables[i], token)))
            except Exception as e:
                errors.append(repr(e))

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(20)
        assert not any(th.is_alive() for th in threads), "a thread of the child hung"
        assert not errors, errors
        return {"done": done}

    outcome = fork_children(child, 1, timeout=40)
    assert outcome.ok, f"{outcome.summary()}\nschedule: {w.log[-8:]}"
    done = outcome.children[0].report["done"]
    per_conn: dict[int, set[Any]] = {}
    for i, table, token, session in done:  # ids are per server: a MariaDB id may equal a PostgreSQL pid
        per_conn.setdefault(i, set()).add((chosen[i].spec.server, session))
        w.acked.setdefault(table, set()).add(token)
    parents = {(t.spec.server, t.session) for t in w.live if t.session is not None}
    for sessions in per_conn.values():
        assert len(sessions) == 1, f"one connection, several sessions in one child: {sessions}"
        assert not sessions & parents, f"a child used a session of the parent: {sessions}"
    child_sessions = [next(iter(s)) for s in per_conn.values()]
    assert len(set(child_sessions)) == len(child_sessions), "two connections shared a session in a child"
    for t in w.live:  # the parent's sessions are as they were
        if t.session is not None:
            session = rs.backend(t.conn, t.spec)
            if not t.autocommit:
                t.conn.commit()
            assert session == t.session, f"the parent's session changed across a fork: {w.log[-8:]}"


def _step(w: World, kind: str) -> None:
    rng = w.rng
    if kind == "connect" and len(w.live) < 6:
        spec = rng.choice(SPECS)
        w.live.append(Tracked(spec, rs.connect(spec, w.servers[spec.server])))
    elif kind == "use":
        _step_use(w)
    elif kind == "setting" and w.live:
        t = rng.choice(w.live)
        _set_autocommit(t, not t.autocommit)
    elif kind == "reconnect" and w.live:
        t = rng.choice(w.live)
        t.conn.close()
        t.conn = rs.connect(t.spec, w.servers[t.spec.server])
        t.session = None
        if t.autocommit:
            _set_autocommit(t, True)
    elif kind == "fork":
        _step_fork(w)
    elif kind == "close" and w.live:
        w.live.pop(rng.randrange(len(w.live))).conn.close()
    elif kind == "drop" and w.live:
        w.live.pop(rng.randrange(len(w.live)))  # never closed: the finaliser's path
        gc.collect()


KINDS = ["connect"] * 3 + ["use"] * 5 + ["setting"] * 2 + ["reconnect", "fork", "fork", "close", "drop"]


def test_random_schedule_keeps_every_invariant(postgresql: Any, mariadb: Any) -> None:
    servers = {"postgresql": postgresql, "mariadb": mariadb}
    tables = {}
    for spec in SPECS:
        table = tables.get(spec.server) or f"stress_{uuid.uuid4().hex[:8]}"
        tables[spec.server] = table
        setup = rs.raw(spec, servers[spec.server])
        rs.scalar(setup, spec.create_table(table))
        setup.commit()
        setup.close()
    w = World(servers, {s.name: tables[s.server] for s in SPECS}, random.Random(SEED))
    deadline = time.monotonic() + BUDGET
    steps = forks = 0
    while steps < STEPS and time.monotonic() < deadline:
        kind = w.rng.choice(KINDS)
        w.log.append(kind)
        _step(w, kind)
        steps += 1
        forks += kind == "fork"
    for t in w.live:
        t.conn.close()
    for server_kind, table in tables.items():
        spec = next(s for s in SPECS if s.server == server_kind)
        reader = rs.raw(spec, servers[server_kind])
        try:
            cur = reader.cursor()
            cur.execute(f"SELECT who FROM {table}")
            present = {row[0] for row in cur.fetchall()}
        finally:
            reader.close()
        missing = w.acked.get(table, set()) - present
        assert not missing, f"seed {SEED}: {len(missing)} acknowledged writes lost: {sorted(missing)[:3]}"
    writes = sum(map(len, w.acked.values()))
    print(f"stress: seed {SEED}, {steps} steps, {forks} forks, {writes} writes checked")
    assert steps >= 60 and forks >= 5, f"seed {SEED}: too short a run ({steps} steps, {forks} forks)"
