"""Safe twin of bug_task_imports_inside: the task imports a lazy client (see app.py)."""
import app as _app  # noqa: F401  (the worker loads the app at import)
from celery import Celery

celery = Celery("app")


@celery.task
def cleanup():
    from app import client

    client.app.logs.delete_many({})
