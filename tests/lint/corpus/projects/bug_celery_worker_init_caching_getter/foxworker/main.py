"""The worker's app module (celery -A foxworker.main worker): its ``worker_init`` handler runs in the
worker's main process before the prefork pool forks, and warms the caching getter there."""
from celery import Celery
from celery.signals import worker_init

from foxworker.dependencies import get_mongo_client

app = Celery("fox")
app.config_from_object("foxworker.celeryconfig")


@worker_init.connect
def init_worker(**kwargs):
    get_mongo_client()
