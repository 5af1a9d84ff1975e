"""Invariants under random sequences (hypothesis), and clear errors for bad use."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest
from harness.forking import fork_children
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from pool_support import POOL_DRIVERS, factory_for

import forksafe

MAX = 3


def _backend(conn: Any) -> int:
    cur = conn.cursor()
    cur.execute("SELECT pg_backend_pid()")
    pid = int(cur.fetchone()[0])
    conn.commit()
    return pid


def test_pool_invariants_stateful(postgresql: Any) -> None:
    factory = factory_for(POOL_DRIVERS[0], postgresql)

    class PoolMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.pool = forksafe.Pool(factory, max_size=MAX, timeout=0.05)
            self.held: list[Any] = []
            self.closed = False

        @precondition(lambda self: not self.closed)
        @rule()
        def get(self) -> None:
            try:
                conn = self.pool.getconn()
            except forksafe.PoolTimeout:
                assert len(self.held) == MAX
                return
            assert not any(conn is h for h in self.held), "one connection lent to two holders"
            self.held.append(conn)

        @precondition(lambda self: bool(self.held))
        @rule(i=st.integers(0, MAX - 1), use=st.booleans())
        def put(self, i: int, use: bool) -> None:
            conn = self.held.pop(i % len(self.held))
            if use:
                try:
                    _backend(conn)
                except Exception:
                    pass  # a killed session: the pool must discard it
            self.pool.putconn(conn)
            if not self.closed:  # a closed pool closes what comes back and forgets it
                with pytest.raises(forksafe.PoolReturnError):
                    self.pool.putconn(conn)

        @precondition(lambda self: bool(self.held))
        @rule()
        def kill(self) -> None:
            victim = self.held[0]
            try:
                pid = _backend(victim)
            except Exception:
                return
            admin = factory()
            admin.autocommit = True
            admin.cursor().execute("SELECT pg_terminate_backend(%s)", (pid,))
            admin.close()

        @rule()
        def fork(self) -> None:
            pool, held = self.pool, self.held
            parent_backends = []
            for conn in held:
                try:
                    parent_backends.append(_backend(conn))
                except Exception:
                    pass

            def child(index: int) -> str:
                if self.closed:
                    with pytest.raises(forksafe.PoolClosed):
                        pool.getconn()
                    return "closed"
                mine = [pool.getconn() for _ in range(MAX)]  # the whole cap, in the child
                assert not any(m is h for m in mine for h in held), "a parent's connection lent"
                backends = {_backend(m) for m in mine}
                assert len(backends) == MAX and not backends & set(parent_backends)
                assert pool.stats()["in_use"] == MAX and pool.stats()["size"] <= MAX
                for m in mine:
                    pool.putconn(m)
                return "ok"

            outcome = fork_children(child, 1, timeout=30)
            assert outcome.ok, outcome.summary()

        @precondition(lambda self: not self.closed)
        @rule()
        def close(self) -> None:
            self.pool.close()
            self.closed = True
            with pytest.raises(forksafe.PoolClosed):
                self.pool.getconn()

        @invariant()
        def within_cap(self) -> None:
            stats = self.pool.stats()
            assert stats["size"] <= MAX
            if not self.closed:
                assert stats["in_use"] == len(self.held)

        def teardown(self) -> None:
            for conn in self.held:
                self.pool.putconn(conn)
            self.pool.close()

    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(PoolMachine, settings=settings(
        max_examples=8, stateful_step_count=10, deadline=None,
        suppress_health_check=list(HealthCheck)))


def test_timeout_message_says_cap_and_use(postgresql: Any) -> None:
    pool = forksafe.Pool(factory_for(POOL_DRIVERS[0], postgresql), max_size=2, timeout=0.1)
    a, b = pool.getconn(), pool.getconn()
    with pytest.raises(forksafe.PoolTimeout) as info:
        pool.getconn()
    assert isinstance(info.value, TimeoutError) and isinstance(info.value, forksafe.ForkSafeError)
    assert "max_size=2" in str(info.value) and "2 in use" in str(info.value)
    assert pool.stats()["timeouts"] == 1
    # A waiter is served by the next return, first come first served.
    got: list[Any] = []
    t = threading.Thread(target=lambda: got.append(pool.getconn(timeout=30)))
    t.start()
    while pool.stats()["waiting"] == 0 and t.is_alive():
        t.join(0.01)
    pool.putconn(a)
    t.join(30)
    assert got == [a]
    pool.putconn(a)
    pool.putconn(b)
    pool.close()


def test_misuse_gets_clear_errors(postgresql: Any) -> None:
    factory = factory_for(POOL_DRIVERS[0], postgresql)
    one, two = forksafe.Pool(factory, name="one"), forksafe.Pool(factory, name="two")
    conn = one.getconn()
    with pytest.raises(forksafe.PoolReturnError, match="belongs to pool 'one'"):
        two.putconn(conn)
    one.putconn(conn)
    with pytest.raises(forksafe.PoolReturnError, match="already handed back"):
        one.putconn(conn)
    with pytest.raises(forksafe.PoolReturnError, match="did not lend out"):
        one.putconn(factory())
    with pytest.raises(ValueError, match="max_size"):
        forksafe.Pool(factory, max_size=0)
    with pytest.raises(TypeError, match="zero-argument callable"):
        forksafe.Pool("dsn")  # type: ignore[arg-type]
    import psycopg2

    bad = forksafe.Pool(lambda: forksafe.connect(psycopg2.connect, postgresql.pg_dsn))
    with pytest.raises(TypeError, match="driver's own connect function"):
        bad.getconn()
    lent = one.getconn()
    one.close()
    with pytest.raises(forksafe.PoolClosed):
        one.getconn()
    one.putconn(lent)  # closed on return
    assert lent.closed
    assert "s3cret" not in repr(one)
    two.close()


def test_transaction_ended_only_when_open(postgresql: Any) -> None:
    """Commit on success, roll back on error, nothing on an idle connection."""
    factory = factory_for(POOL_DRIVERS[0], postgresql)
    pool = forksafe.Pool(factory, max_size=1)
    with pool.connection() as conn:
        conn.cursor().execute("CREATE TEMP TABLE tx (n int)")
    with pytest.raises(ZeroDivisionError), pool.connection() as conn:
        conn.cursor().execute("INSERT INTO tx VALUES (1)")
        1 / 0  # noqa: B018
    with pool.connection() as conn:
        cur = conn.cursor()
        cur.execute("INSERT INTO tx VALUES (2)")
    with pool.connection() as conn:
        cur = conn.cursor()
        cur.execute("SELECT n FROM tx")
        assert cur.fetchall() == [(2,)]
    conn.autocommit = True
    with pool.connection() as conn:
        assert conn.get_transaction_status() == 0  # idle: the pool sends nothing on return
    assert os.getpid() > 0
    pool.close()
