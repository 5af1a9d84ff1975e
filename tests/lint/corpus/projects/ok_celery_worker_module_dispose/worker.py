"""``celery -A worker.celery worker``: the app is made in the worker's main process, and every pool
child disposes the engine it inherited before its first task."""
from app import create_app, db
from celery import Celery
from celery.signals import worker_process_init

app = create_app()
app.app_context().push()
celery = Celery(__name__)

from app import tasks  # noqa: E402,F401  (registers the tasks)


@worker_process_init.connect
def renew_pool(**kwargs):
    db.engine.dispose(close=False)
