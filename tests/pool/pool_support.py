"""Helpers shared by the pool tests: factories per driver, a naive pool for controls, worker loops."""

from __future__ import annotations

import collections
import functools
import os
import threading
from typing import Any, Callable

from harness import drivers
from harness.drivers import BY_NAME, DriverSpec

POOL_DRIVERS = [BY_NAME[n] for n in ("psycopg2", "psycopg", "MySQLdb", "pymysql")]


def factory_for(spec: DriverSpec, server: Any) -> Callable[[], Any]:
    args, kwargs = spec.connect_args(server)
    return functools.partial(spec.connect_fn, *args, **kwargs)


class NaivePool:
    """The control: a deque of raw connections behind a lock, with no idea what fork is.

    This is what a hand-written pool (or psycopg_pool/SQLAlchemy without a fork hook) does.
    """

    def __init__(self, factory: Callable[[], Any], size: int) -> None:
        self._lock = threading.Lock()
        self._idle = collections.deque(factory() for _ in range(size))
        self._cond = threading.Condition(self._lock)

    def getconn(self) -> Any:
        with self._cond:
            while not self._idle:
                self._cond.wait(5)
            return self._idle.pop()

    def putconn(self, conn: Any) -> None:
        with self._cond:
            self._idle.append(conn)
            self._cond.notify()

    def connection(self) -> _NaiveLend:
        return _NaiveLend(self)


class _NaiveLend:
    def __init__(self, pool: NaivePool) -> None:
        self.pool = pool

    def __enter__(self) -> Any:
        self.conn = self.pool.getconn()
        return self.conn

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        try:
            if exc_type is None:
                self.conn.commit()
            else:
                self.conn.rollback()
        finally:
            self.pool.putconn(self.conn)


def echo_and_insert(pool: Any, spec: DriverSpec, table: str, who: str, n: int) -> None:
    """One checkout: echo a token only this call can expect, insert a row, commit on exit."""
    token = f"{who}:{n}"
    with pool.connection() as conn:
        cur = conn.cursor()
        cur.execute(spec.sql("SELECT %s"), (token,))
        got = cur.fetchone()[0]
        if got != token:
            raise AssertionError(f"expected {token!r}, got {got!r}: another process's reply")
        cur.execute(spec.sql(f"INSERT INTO {table} (who, n) VALUES (%s, %s)"), (who, n))
        cur.close()


def threaded_child(pool: Any, spec: DriverSpec, table: str, threads: int, per_thread: int) -> int:
    """Run ``threads`` threads of ``per_thread`` checkouts; return rows done, raise the first error."""
    errors: list[BaseException] = []
    done = [0]
    count_lock = threading.Lock()

    def work(t: int) -> None:
        try:
            for i in range(per_thread):
                echo_and_insert(pool, spec, table, f"{os.getpid()}-{t}", i)
                with count_lock:
                    done[0] += 1
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    if errors:
        raise errors[0]
    return done[0]


def count_rows(factory: Callable[[], Any], table: str) -> int:
    conn = factory()
    try:
        cur = conn.cursor()
        cur.execute(f"SELECT COUNT(*) FROM {table}")
        return int(cur.fetchone()[0])
    finally:
        conn.close()


def create_table(factory: Callable[[], Any], spec: DriverSpec, table: str) -> None:
    drivers.create_table(spec, factory, table)
