"""Start an RQ worker (fork per job) from a process that imported the app first.

That is how apps usually start their workers (a launcher script, a framework command): the
parent has the app, and its module-level connection, loaded and used before the first fork.
"""

from __future__ import annotations

import os

import rq_tasks  # noqa: F401  (imported, and its connection used, in the worker's parent)
from redis import Redis
from rq import Queue, Worker

if __name__ == "__main__":
    redis = Redis.from_url(os.environ["FS_BROKER"])
    queue = Queue(os.environ["FS_QUEUE"], connection=redis)
    Worker([queue], connection=redis).work(burst=True, logging_level="WARNING")
