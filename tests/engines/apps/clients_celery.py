"""The Celery app for ``clients_app``: one task, run by the prefork pool's children."""

from __future__ import annotations

import os

import clients_app
from celery import Celery

app = Celery("clients_celery", broker=os.environ["FS_BROKER"], backend=os.environ["FS_BROKER"])
app.conf.update(task_default_queue=os.environ.get("FS_QUEUE", "celery"), result_expires=600,
                broker_connection_retry_on_startup=True, worker_hijack_root_logger=False)


@app.task(name="clients_celery.work")
def work(token: str) -> list[int]:
    return clients_app.work(token)
