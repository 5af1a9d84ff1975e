"""A Celery task imports the app's client inside its body (to avoid a circular import): it is still
the object the worker made when it imported the app, before forking the pool."""
import app as _app  # noqa: F401  (the worker loads the app at import)
from celery import Celery

celery = Celery("app")


@celery.task
def cleanup():
    from app import client

    client.app.logs.delete_many({})  # expect: FS104 "imported in cleanup()"
