"""Celery tasks whose module builds the Flask app at import: in the worker's master, before the fork."""
from celery import Celery

from web.app import create_app
from web.extensions import db

celery = Celery("tasks", broker="redis://localhost:6379/0")
flask_app = create_app()


class ContextTask(celery.Task):
    abstract = True

    def __call__(self, *args, **kwargs):
        with flask_app.app_context():
            return super().__call__(*args, **kwargs)


celery.Task = ContextTask


@celery.task
def session_cleanup():
    db.session.execute(db.text("delete from sessions where expired"))  # expect: FS104 "db 'db'"
    db.session.commit()
