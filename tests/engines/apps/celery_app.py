"""A Celery app whose tasks share one module-level connection, used by the worker's parent.

The worker imports this module in its parent process (``-A celery_app``), which uses the
connection at import; the prefork pool then forks its children from that parent.
"""

from __future__ import annotations

import os

import appdb
from celery import Celery

app = Celery("celery_app", broker=os.environ["FS_BROKER"], backend=os.environ["FS_BROKER"])
app.conf.update(
    task_default_queue=os.environ.get("FS_QUEUE", "celery"),
    result_expires=600,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)

conn = appdb.connect()
appdb.use(conn)


@app.task(name="celery_app.insert")
def insert(token: str) -> list[int]:
    """Echo the token, insert a row; return [pid, server session id]."""
    pid = appdb.insert_checked(conn, token)
    return [pid, appdb.backend_id(conn)]
