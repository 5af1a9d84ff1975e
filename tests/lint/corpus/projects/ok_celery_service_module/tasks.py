"""Safe twin: each pool child drops the inherited engine before running tasks."""
from celery import shared_task
from celery.signals import worker_process_init
from extensions import db
from service import Dashboard


@worker_process_init.connect
def fresh_engine(**kwargs):
    db.engine.dispose(close=False)


@shared_task
def refresh():
    rows = Dashboard.rows()
    return len(rows)
