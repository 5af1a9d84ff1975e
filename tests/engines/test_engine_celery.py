"""Celery's prefork pool against one module-level connection its parent process already used.

500 tasks on a worker with 4 pool processes, Redis as broker and result backend. Each task asks
the database to echo its own token before inserting, so a reply read by the wrong process is
caught. The control runs the same app with the driver's own connection.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Sequence

from celery import Celery
from enginekit import app_env, count_rows, engine, first_errors

TASKS = 500


def worker_argv(queue: str, prefix: Sequence[str] = ()) -> list[str]:
    return [*prefix, "celery", "-A", "celery_app", "worker", "-P", "prefork", "-c", "4", "-Q", queue,
            "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-l", "warning"]


def run_celery(db: Any, redis_url: str, mode: str, tmp_path: Any, *, stop_on_failure: bool,
               prefix: Sequence[str] = (), deadline_s: float = 180.0) -> dict[str, Any]:
    queue = f"q{uuid.uuid4().hex[:10]}"
    env = app_env(FS_BROKER=redis_url, FS_QUEUE=queue, **db.env(mode))
    client = Celery("client", broker=redis_url, backend=redis_url)
    failures: list[str] = []
    pids: set[int] = set()
    sessions: set[tuple[int, int]] = set()
    done = 0
    with engine(worker_argv(queue, prefix), str(tmp_path / f"celery-{mode}.log"), env) as eng:
        results = [client.send_task("celery_app.insert", args=[f"tok-{i}-{uuid.uuid4().hex[:8]}"],
                                    queue=queue) for i in range(TASKS)]
        deadline = time.monotonic() + deadline_s
        for r in results:
            left = deadline - time.monotonic()
            if left <= 0 or not eng.alive():
                break
            try:
                value = r.get(timeout=left, propagate=False, interval=0.05)
            except Exception as exc:  # celery.exceptions.TimeoutError: counted as not done
                failures.append(f"no result: {type(exc).__name__}")
                break
            if r.successful():
                pids.add(int(value[0]))
                sessions.add((int(value[0]), int(value[1])))
                done += 1
            else:
                failures.append(f"{type(value).__name__}: {value}")
                if stop_on_failure:
                    break
        log = eng.output()
        parent = eng.proc.pid  # the worker's main process (celery, or forksafe run exec'ing it)
    client.close()
    rows, row_pids = count_rows(db.connect, db.table)
    return {"done": done, "failures": failures, "pids": pids, "rows": rows, "row_pids": row_pids, "log": log,
            "parent": parent, "sessions": sessions}


def one_session_each(out: dict[str, Any]) -> None:
    """Every pool process had exactly one server session, and no two shared one."""
    backends = {b for _, b in out["sessions"]}
    assert len(out["sessions"]) == len(out["pids"]) == len(backends), sorted(out["sessions"])


def test_celery_prefork_forksafe_mysqldb(database: Any, redis_server: Any, tmp_path: Any) -> None:
    db = database("MySQLdb")
    out = run_celery(db, redis_server.url, "forksafe", tmp_path, stop_on_failure=False)
    assert not out["failures"], f"{first_errors(out['failures'])}\n{out['log']}"
    assert out["done"] == TASKS and out["rows"] == TASKS, (
        f"{out['done']} done, {out['rows']} rows\n{out['log']}")
    assert len(out["pids"]) >= 2, f"all tasks ran in one pool process: {out['pids']}"
    assert out["parent"] not in out["pids"], "tasks must run in the pool's forked children"
    one_session_each(out)


def test_celery_prefork_raw_mysqldb_control(database: Any, redis_server: Any, tmp_path: Any) -> None:
    """The same app with MySQLdb's own connection: the pool processes share one session."""
    db = database("MySQLdb")
    out = run_celery(db, redis_server.url, "raw", tmp_path, stop_on_failure=True, deadline_s=90.0)
    broke = bool(out["failures"]) or out["rows"] != TASKS
    print("control errors:", first_errors(out["failures"]), "rows:", out["rows"])
    assert broke, f"the raw driver survived {TASKS} tasks; the scenario does not exercise the bug"


def test_celery_prefork_forksafe_psycopg2(database: Any, redis_server: Any, tmp_path: Any) -> None:
    db = database("psycopg2")
    out = run_celery(db, redis_server.url, "forksafe", tmp_path, stop_on_failure=False)
    assert not out["failures"], f"{first_errors(out['failures'])}\n{out['log']}"
    assert out["done"] == TASKS and out["rows"] == TASKS, (
        f"{out['done']} done, {out['rows']} rows\n{out['log']}")
    assert len(out["pids"]) >= 2 and out["parent"] not in out["pids"]
    one_session_each(out)
