"""Enqueue N jobs for worker.py; the job function is named by path, so nothing is imported here."""

from __future__ import annotations

import os
import sys

from redis import Redis
from rq import Queue

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    queue = Queue("default", connection=Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")))
    for i in range(n):
        queue.enqueue("jobs.record", f"event {i}")
    print(f"enqueued {n} jobs")
