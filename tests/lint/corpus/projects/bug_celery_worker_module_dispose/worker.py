"""``celery -A worker.celery worker``: the app is made in the worker's main process."""
from app import create_app
from celery import Celery

app = create_app()
app.app_context().push()
celery = Celery(__name__)

from app import tasks  # noqa: E402,F401  (registers the tasks)
