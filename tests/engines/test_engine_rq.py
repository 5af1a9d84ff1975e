"""RQ's worker forks a work horse per job; its parent imported the app and used the connection.

300 jobs through one worker (``apps/rq_worker.py``, burst mode). Horses run one at a time, so
they never interleave on the inherited session; what they share is the session's state. Each job
runs its echo statement six times, as a job looping over one statement does, and psycopg 3
prepares a statement on the server after five runs (its default ``prepare_threshold``): with the
raw connection every horse starts from the parent's copy of the client-side cache, so the second
horse tries to prepare a statement the first already prepared in the shared session.
"""

from __future__ import annotations

import sys
import time
import uuid
from typing import Any

from enginekit import app_env, count_rows, engine, first_errors
from redis import Redis
from rq import Queue
from rq.registry import FailedJobRegistry, FinishedJobRegistry

JOBS = 300


def run_rq(db: Any, redis_url: str, mode: str, tmp_path: Any, *, stop_after_failures: int = 0,
           deadline_s: float = 200.0) -> dict[str, Any]:
    name = f"q{uuid.uuid4().hex[:10]}"
    redis = Redis.from_url(redis_url)
    queue = Queue(name, connection=redis)
    for i in range(JOBS):
        queue.enqueue("rq_tasks.insert", f"tok-{i}-{uuid.uuid4().hex[:8]}", result_ttl=600,
                      failure_ttl=600)
    failed_reg = FailedJobRegistry(queue=queue)
    env = app_env(FS_BROKER=redis_url, FS_QUEUE=name, **db.env(mode))
    argv = [sys.executable, "-m", "rq_worker"]
    with engine(argv, str(tmp_path / f"rq-{mode}.log"), env) as eng:
        deadline = time.monotonic() + deadline_s
        while eng.alive() and time.monotonic() < deadline:
            if stop_after_failures and failed_reg.count >= stop_after_failures:
                break
            time.sleep(0.2)
        finished_in_time = not eng.alive()
        log = eng.output()
    failures = []
    for job_id in failed_reg.get_job_ids()[:20]:
        job = queue.fetch_job(job_id)
        info = (job.latest_result().exc_string if job is not None and job.latest_result() else "") or ""
        failures.append(info)
    finished = FinishedJobRegistry(queue=queue).count
    rows, row_pids = count_rows(db.connect, db.table)
    redis.close()
    return {"finished": finished, "failed": failed_reg.count, "failures": failures, "rows": rows,
            "row_pids": row_pids, "in_time": finished_in_time, "log": log}


def test_rq_fork_per_job_forksafe_psycopg(database: Any, redis_server: Any, tmp_path: Any) -> None:
    db = database("psycopg")
    out = run_rq(db, redis_server.url, "forksafe", tmp_path)
    assert out["in_time"], f"worker did not finish {JOBS} jobs in time\n{out['log']}"
    assert out["failed"] == 0, f"{first_errors(out['failures'])}\n{out['log']}"
    assert out["finished"] == JOBS and out["rows"] == JOBS
    assert out["row_pids"] == JOBS, "each job runs in a work horse of its own"


def test_rq_fork_per_job_raw_psycopg_control(database: Any, redis_server: Any, tmp_path: Any) -> None:
    db = database("psycopg")
    out = run_rq(db, redis_server.url, "raw", tmp_path, stop_after_failures=5, deadline_s=120.0)
    print("control errors:", first_errors(out["failures"]), "failed:", out["failed"], "rows:", out["rows"])
    assert out["failed"] > 0 or out["rows"] != JOBS, (
        f"the raw driver survived {JOBS} jobs; the scenario does not exercise the bug")

