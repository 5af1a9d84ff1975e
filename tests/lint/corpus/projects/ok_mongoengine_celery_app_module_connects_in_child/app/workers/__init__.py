"""Safe twin: the Celery app module connects mongoengine in each pool child, in its
worker_process_init handler, not at import in the parent."""
from celery import Celery
from celery.signals import worker_process_init

from app.db import connect_mongo

celery = Celery("x", broker="redis://b")


@worker_process_init.connect
def connect_in_child(**kwargs):
    connect_mongo("Celery_Worker")
