"""multiprocessing ``Pool`` and ``ProcessPoolExecutor`` under fork, forkserver and spawn.

A forksafe connection reaches the workers three ways: inherited as a module global (fork), as
an initializer argument (pickled as its recipe under forkserver and spawn; inherited under
fork), and as a per-task argument (always pickled). Each task echoes a token of its own and
inserts a row. Controls: under fork the workers share a raw connection the parent used; under
spawn a raw connection cannot be sent at all.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import uuid
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable

import mp_work
import psycopg2
import pytest
from enginekit import count_rows

import forksafe

TASKS = 200
ARG_TASKS = 24
WORKERS = 4


def run_map(kind: str, method: str, fn: Callable[..., int], jobs: list[Any], *,
            initargs: tuple[Any, ...] = (), timeout: float = 120.0) -> list[int]:
    ctx = multiprocessing.get_context(method)
    init = mp_work.init if initargs else None
    if kind == "Pool":
        pool = ctx.Pool(WORKERS, initializer=init, initargs=initargs)
        try:
            return pool.map_async(fn, jobs, chunksize=4).get(timeout)
        finally:
            pool.terminate()
            pool.join()
    with ProcessPoolExecutor(WORKERS, mp_context=ctx, initializer=init, initargs=initargs) as ex:
        try:
            return list(ex.map(fn, jobs, timeout=timeout, chunksize=4))
        finally:
            for p in list(getattr(ex, "_processes", {}).values()):
                if p.is_alive():
                    p.kill()


@pytest.mark.parametrize("kind", ["Pool", "ProcessPoolExecutor"])
@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_start_methods_forksafe_psycopg2(database: Any, kind: str, method: str) -> None:
    db = database("psycopg2")
    conn = forksafe.connect(psycopg2.connect, *db.args, **db.kwargs)
    cur = conn.cursor()
    cur.execute("SELECT 1")  # the parent has used it before any worker starts
    conn.commit()
    tokens = [f"tok-{i}-{uuid.uuid4().hex[:8]}" for i in range(TASKS)]
    if method == "fork":
        mp_work.init(conn)  # module-level: inherited through fork, not pickled
        pids = run_map(kind, method, mp_work.with_module_conn, [(db.table, t) for t in tokens])
        mp_work.init(None)
    else:
        pids = run_map(kind, method, mp_work.with_module_conn, [(db.table, t) for t in tokens],
                       initargs=(conn,))
    arg_pids = run_map(kind, method, mp_work.with_arg_conn,
                       [(conn, db.table, f"arg-{i}") for i in range(ARG_TASKS)])
    assert len(pids) == TASKS and len(arg_pids) == ARG_TASKS
    assert os.getpid() not in set(pids) | set(arg_pids)
    assert count_rows(db.connect, db.table)[0] == TASKS + ARG_TASKS
    cur = conn.cursor()  # and the parent's own session survived its children
    cur.execute("SELECT %s", ("parent",))
    assert cur.fetchone() == ("parent",)
    conn.close()


def test_fork_pool_raw_psycopg2_control(database: Any) -> None:
    """Pool workers forked from a parent that used a raw psycopg2 connection share its session."""
    db = database("psycopg2")
    conn = psycopg2.connect(*db.args, **db.kwargs)
    cur = conn.cursor()
    cur.execute("SELECT 1")
    conn.commit()
    mp_work.init(conn)
    errors: list[str] = []
    pool = multiprocessing.get_context("fork").Pool(WORKERS)
    try:
        it = pool.imap_unordered(mp_work.with_module_conn,
                                 [(db.table, f"tok-{i}-{uuid.uuid4().hex[:8]}") for i in range(TASKS)])
        for _ in range(TASKS):
            try:
                it.next(timeout=20)
            except multiprocessing.TimeoutError:
                errors.append("a worker hung waiting for a reply (killed after 20 s)")
            except Exception as exc:
                errors.append(f"{type(exc).__module__}.{type(exc).__name__}: {exc}")
            if errors:
                break
    finally:
        pool.terminate()
        pool.join()
        mp_work.init(None)
        conn.close()
    rows = count_rows(db.connect, db.table)[0]
    print("control errors:", errors[:3], "rows:", rows)
    assert errors or rows != TASKS, "the raw connection survived; the scenario does not exercise the bug"


def test_spawn_raw_connection_cannot_be_sent_control(database: Any) -> None:
    """A raw driver connection cannot cross a spawn boundary; a forksafe one goes as its recipe."""
    db = database("psycopg2")
    conn = psycopg2.connect(*db.args, **db.kwargs)
    try:
        with pytest.raises(TypeError, match="cannot pickle"):
            run_map("Pool", "spawn", mp_work.with_arg_conn, [(conn, db.table, "x")], timeout=60)
    finally:
        conn.close()


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_start_methods_forksafe_pool(database: Any, method: str) -> None:
    """forksafe.Pool: inherited through fork (the parent used it), or made per worker from a
    picklable factory under forkserver and spawn (a Pool object itself does not pickle)."""
    db = database("psycopg2")
    factory = functools.partial(psycopg2.connect, *db.args, **db.kwargs)
    pool = forksafe.Pool(factory, max_size=2)
    conn = pool.getconn()
    conn.cursor().execute("SELECT 1")
    pool.putconn(conn)
    jobs = [(db.table, f"tok-{i}-{uuid.uuid4().hex[:8]}") for i in range(TASKS)]
    ctx = multiprocessing.get_context(method)
    start = pool if method == "fork" else factory
    workers = ctx.Pool(WORKERS, initializer=mp_work.init_pool, initargs=(start,))
    try:
        pids = workers.map_async(mp_work.with_pool, jobs, chunksize=4).get(120)
    finally:
        workers.terminate()
        workers.join()
    assert len(pids) == TASKS and os.getpid() not in pids
    assert count_rows(db.connect, db.table)[0] == TASKS
    with pool.connection() as again:  # the parent's pooled session survived its children
        cur = again.cursor()
        cur.execute("SELECT %s", ("parent",))
        assert cur.fetchone() == ("parent",)
    pool.close()
