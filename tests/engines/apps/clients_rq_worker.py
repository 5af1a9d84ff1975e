"""An RQ worker (a work horse forked per job) started by a process that imported ``clients_app``."""

from __future__ import annotations

import os

import clients_app  # noqa: F401  (its clients made and used in the worker's parent)
from redis import Redis
from rq import Queue, Worker

if __name__ == "__main__":
    redis = Redis.from_url(os.environ["FS_BROKER"])
    Worker([Queue(os.environ["FS_QUEUE"], connection=redis)], connection=redis).work(
        burst=True, logging_level="WARNING")
