"""Start an RQ worker from a process that has imported the app (as launcher scripts do)."""

from __future__ import annotations

import os

import jobs  # noqa: F401  (imported, and its connection used, before the first fork)
from redis import Redis
from rq import Queue, Worker

if __name__ == "__main__":
    redis = Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    Worker([Queue("default", connection=redis)], connection=redis).work(burst=True)
