"""An RQ worker (a work horse forked per job) started from a process that imported the tasks first.
Prints one JSON line: how many jobs finished with their own token, how many failed, and why."""

import asyncio
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import rq_async_tasks  # its pool is made and used here, in the worker's parent
from redis import Redis
from rq import Queue, Worker
from rq.registry import FailedJobRegistry

redis = Redis.from_url(os.environ["FS_BROKER"])
queue = Queue(os.environ["FS_QUEUE"], connection=redis)
jobs = [queue.enqueue("rq_async_tasks.echo", f"job-{i}", result_ttl=600, failure_ttl=600,
                      job_timeout=30) for i in range(int(os.environ["FS_JOBS"]))]
Worker([queue], connection=redis).work(burst=True, logging_level="ERROR")
ok = sum(1 for i, job in enumerate(jobs) if job.refresh() is None and job.return_value() == f"job-{i}")
failed = FailedJobRegistry(queue=queue)
errors = []
for job_id in failed.get_job_ids()[:3]:
    result = queue.fetch_job(job_id).latest_result()
    errors.append((result.exc_string or "").strip().splitlines()[-1] if result else "")
try:
    check = asyncio.wait_for(rq_async_tasks.pool.fetchval("SELECT 2"), 5)
    parent_ok = rq_async_tasks.startup_loop.run_until_complete(check) == 2
except Exception as exc:  # what the worker would see next
    parent_ok = f"{type(exc).__module__}.{type(exc).__name__}: {exc}"[:300]
pool_type = type(rq_async_tasks.pool)  # type() sees through a proxy
print(json.dumps({"ok": ok, "failed": failed.count, "errors": errors, "parent_ok": parent_ok,
                  "pool_type": f"{pool_type.__module__}.{pool_type.__qualname__}"}))
sys.stdout.flush()
os._exit(0)
