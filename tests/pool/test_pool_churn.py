"""150 forks while three parent threads churn checkouts, and recovery from killed sessions."""

from __future__ import annotations

import os
import threading
from typing import Any

from harness.forking import fork_children
from pool_support import POOL_DRIVERS, NaivePool, factory_for

import forksafe

FORKS, BATCH = 150, 10


def test_150_forks_while_parent_threads_churn(postgresql: Any) -> None:
    factory = factory_for(POOL_DRIVERS[0], postgresql)  # psycopg2
    pool = forksafe.Pool(factory, max_size=3, timeout=60)
    stop = threading.Event()
    errors: list[str] = []
    done = [0, 0, 0]

    def churn(t: int) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            token = f"p{t}-{n}"
            try:
                with pool.connection() as conn:
                    cur = conn.cursor()
                    cur.execute("SELECT %s", (token,))
                    if cur.fetchone()[0] != token:
                        errors.append(f"wrong reply for {token}")
                done[t] += 1
            except Exception as exc:
                errors.append(repr(exc))

    threads = [threading.Thread(target=churn, args=(t,)) for t in range(3)]
    for t in threads:
        t.start()

    def child(index: int) -> str:
        token = f"c{os.getpid()}"
        with pool.connection() as conn:
            cur = conn.cursor()
            cur.execute("SELECT %s", (token,))
            got = cur.fetchone()[0]
        assert got == token, got
        return got

    outcomes = []
    try:
        for _ in range(FORKS // BATCH):
            outcomes.append(fork_children(child, BATCH, timeout=60))
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    failed = [o.summary() for o in outcomes if not o.ok]
    assert not failed, failed
    assert sum(len(o.children) for o in outcomes) == FORKS
    assert not errors, errors[:5]
    assert all(n > 0 for n in done), done
    assert pool.stats()["size"] <= 3
    pool.close()


def _backend_pids(pool: forksafe.Pool, n: int) -> list[int]:
    conns = [pool.getconn() for _ in range(n)]
    pids = []
    for conn in conns:
        cur = conn.cursor()
        cur.execute("SELECT pg_backend_pid()")
        pids.append(cur.fetchone()[0])
        conn.commit()
    for conn in conns:
        pool.putconn(conn)
    return pids


def _terminate(factory: Any, pids: list[int]) -> None:
    admin = factory()
    admin.autocommit = True
    cur = admin.cursor()
    cur.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s) AS pid", (pids,))
    cur.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", (pids,))
    remaining = cur.fetchone()[0]
    for _ in range(100):
        if not remaining:
            break
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", (pids,))
        remaining = cur.fetchone()[0]
    admin.close()


def _checkouts(pool: Any, n: int) -> tuple[int, list[Any]]:
    """n sequential checkouts; returns (failures, the objects that failed, kept alive so no id
    is reused)."""
    failures, dead = 0, []
    for _ in range(n):
        with pool.connection() as conn:
            pass
        try:
            with pool.connection() as conn:
                assert not any(conn is d for d in dead), "a connection that failed was lent again"
                cur = conn.cursor()
                cur.execute("SELECT 1")
                cur.fetchone()
        except AssertionError:
            raise
        except Exception:
            failures += 1
            dead.append(conn)
    return failures, dead


def test_terminated_sessions_are_discarded_never_lent_twice(postgresql: Any) -> None:
    factory = factory_for(POOL_DRIVERS[0], postgresql)
    pool = forksafe.Pool(factory, max_size=4)
    pids = _backend_pids(pool, 4)
    _terminate(factory, pids)
    failures, _ = _checkouts(pool, 12)
    assert 1 <= failures <= 4  # each dead session fails its user once, then is gone
    assert pool.stats()["discarded"] == failures
    assert _checkouts(pool, 8)[0] == 0
    assert not set(_backend_pids(pool, 4)) & set(pids)
    # With check=, the dead ones are replaced before anyone sees them.
    checked = forksafe.Pool(factory, max_size=4, check=forksafe.Pool.check_connection)
    pids = _backend_pids(checked, 4)
    _terminate(factory, pids)
    assert _checkouts(checked, 8)[0] == 0
    pool.close()
    checked.close()


def test_control_naive_pool_lends_dead_sessions_again(postgresql: Any) -> None:
    factory = factory_for(POOL_DRIVERS[0], postgresql)
    naive = NaivePool(factory, 2)
    conns = [naive.getconn() for _ in range(2)]
    pids = []
    for conn in conns:
        cur = conn.cursor()
        cur.execute("SELECT pg_backend_pid()")
        pids.append(cur.fetchone()[0])
        conn.commit()
        naive.putconn(conn)
    _terminate(factory, pids)
    failures = 0
    for _ in range(8):
        try:
            with naive.connection() as conn:
                conn.cursor().execute("SELECT 1")
        except Exception:
            failures += 1
    assert failures == 8  # every checkout gets a dead session, forever
