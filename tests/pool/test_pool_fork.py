"""A pool used in the parent, then forked children hammering it from several threads.

Each checkout echoes a token only it can expect, so a child reading another process's reply is
caught even on MySQLdb (whose OK packets all look alike, docs/evidence.md). The control runs the
same scenario through a naive deque pool of raw connections and must break.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest
from harness.drivers import DriverSpec, unique_table
from harness.forking import fork_children
from pool_support import (
    POOL_DRIVERS,
    NaivePool,
    count_rows,
    create_table,
    echo_and_insert,
    factory_for,
    threaded_child,
)

import forksafe

CHILDREN, THREADS, PER_THREAD = 8, 4, 50


def _use_in_parent(pool: Any, spec: DriverSpec, table: str) -> Any:
    """Open several connections in the parent and keep one lent out across the fork."""
    held = [pool.getconn() for _ in range(3)]
    for conn in held:
        cur = conn.cursor()
        cur.execute(spec.sql("SELECT %s"), ("parent",))
        assert cur.fetchone()[0] == "parent"
        conn.commit()
    for conn in held[1:]:
        pool.putconn(conn)
    echo_and_insert(pool, spec, table, "parent", -1)
    return held[0]


@pytest.mark.parametrize("spec", POOL_DRIVERS, ids=lambda s: s.name)
def test_forked_children_each_get_their_own_sessions(spec: DriverSpec, server_for: Any) -> None:
    factory = factory_for(spec, server_for(spec))
    table = unique_table("pool")
    create_table(factory, spec, table)
    pool = forksafe.Pool(factory, max_size=THREADS, timeout=60)
    kept = _use_in_parent(pool, spec, table)

    def child(index: int) -> dict[str, Any]:
        rows = threaded_child(pool, spec, table, THREADS, PER_THREAD)
        stats = pool.stats()
        return {"rows": rows, "opened": stats["opened"], "forks_seen": stats["forks_seen"]}

    outcome = fork_children(child, CHILDREN, timeout=150)
    assert outcome.ok, outcome.summary()
    for c in outcome.children:
        assert c.report["rows"] == THREADS * PER_THREAD
        assert 1 <= c.report["opened"] <= THREADS  # the child's own sessions, never over the cap
        assert c.report["forks_seen"] == 1
    # Every row landed, and the parent's pool and its lent-out connection still work.
    assert count_rows(factory, table) == CHILDREN * THREADS * PER_THREAD + 1
    cur = kept.cursor()
    cur.execute(spec.sql("SELECT %s"), ("still-parent",))
    assert cur.fetchone()[0] == "still-parent"
    kept.commit()
    pool.putconn(kept)
    echo_and_insert(pool, spec, table, "parent-after", 0)
    assert pool.stats()["opened"] <= THREADS
    pool.close()


@pytest.mark.parametrize("spec", POOL_DRIVERS, ids=lambda s: s.name)
def test_control_naive_pool_breaks_across_fork(spec: DriverSpec, server_for: Any) -> None:
    """Same scenario, a fork-unaware pool of the same size: children share the parent's sessions."""
    factory = factory_for(spec, server_for(spec))
    table = unique_table("naive")
    create_table(factory, spec, table)
    naive = NaivePool(factory, THREADS)
    conns = [naive.getconn() for _ in range(THREADS)]
    for conn in conns:
        naive.putconn(conn)
    echo_and_insert(naive, spec, table, "parent", -1)

    def child(index: int) -> int:
        return threaded_child(naive, spec, table, THREADS, PER_THREAD)

    outcome = fork_children(child, CHILDREN, timeout=12)
    landed = count_rows(factory, table)
    # Broken means: a child hung, failed, saw another process's reply, or rows went missing.
    assert not outcome.ok or landed != CHILDREN * THREADS * PER_THREAD + 1, (
        f"the control did not break: {landed} rows, {outcome.summary()}"
    )


def test_connection_lent_before_fork_fails_at_once_in_child(postgresql: Any) -> None:
    """Used in the child, a connection lent out in the parent errors at once (its socket is
    /dev/null there) and the parent's session is untouched; handing it back drops it quietly."""
    import psycopg2

    factory = factory_for(POOL_DRIVERS[0], postgresql)
    pool = forksafe.Pool(factory, max_size=2)
    conn = pool.getconn()
    cur = conn.cursor()
    cur.execute("SELECT pg_backend_pid()")
    parent_backend = cur.fetchone()[0]
    conn.commit()

    def child(index: int) -> dict[str, Any]:
        try:
            conn.cursor().execute("SELECT 1")
            error = ""
        except psycopg2.Error as exc:
            error = f"{type(exc).__name__}: {exc}"
        pool.putconn(conn)  # an inherited connection: dropped quietly, never closed
        with pool.connection() as own:
            c = own.cursor()
            c.execute("SELECT pg_backend_pid()")
            backend = c.fetchone()[0]
        return {"error": error, "backend": backend, "stats": pool.stats()}

    outcome = fork_children(child, 1, timeout=30)
    assert outcome.ok, outcome.summary()
    report = outcome.children[0].report
    # psycopg2 reads EOF from /dev/null: "server closed the connection unexpectedly" or
    # "could not receive data from server", a DatabaseError/OperationalError, at once.
    assert report["error"], report
    assert report["backend"] != parent_backend
    assert report["stats"]["in_use"] == 0 and report["stats"]["opened"] == 1
    cur = conn.cursor()
    cur.execute("SELECT pg_backend_pid()")
    assert cur.fetchone()[0] == parent_backend  # the parent's session survived the child
    conn.commit()
    pool.putconn(conn)
    pool.close()


def test_fork_while_pool_lock_held_does_not_deadlock_child(postgresql: Any) -> None:
    """A parent thread holding the pool's lock and another waiting for a connection at fork time."""
    factory = factory_for(POOL_DRIVERS[0], postgresql)
    pool = forksafe.Pool(factory, max_size=1, timeout=30)
    held = pool.getconn()
    waiting = threading.Thread(target=lambda: pool.putconn(pool.getconn()))
    waiting.start()
    pool._lock.acquire()  # as if a thread were inside the pool right now
    try:
        def child(index: int) -> int:
            with pool.connection() as conn:
                cur = conn.cursor()
                cur.execute("SELECT %s", (os.getpid(),))
                return int(cur.fetchone()[0])

        outcome = fork_children(child, 3, timeout=30)
    finally:
        pool._lock.release()
    pool.putconn(held)
    waiting.join(30)
    assert not waiting.is_alive()
    assert outcome.ok, outcome.summary()
    assert all(c.report == c.pid for c in outcome.children)
    pool.close()
