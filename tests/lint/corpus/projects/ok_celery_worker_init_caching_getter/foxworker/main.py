"""The fix: the getter is warmed in ``worker_process_init``, which runs in each pool child after the
fork, so every child caches a client of its own."""
from celery import Celery
from celery.signals import worker_process_init

from foxworker.dependencies import get_mongo_client

app = Celery("fox")
app.config_from_object("foxworker.celeryconfig")


@worker_process_init.connect
def init_worker(**kwargs):
    get_mongo_client()
