"""Celery tasks: each pool child builds the Flask app (and so its engine) after the fork."""
from celery import Celery
from celery.signals import worker_process_init

from web.extensions import db

celery = Celery("tasks", broker="redis://localhost:6379/0")
_flask_app = None


@worker_process_init.connect
def init_worker_process(**kwargs):
    global _flask_app
    if _flask_app is None:
        from web.app import create_app

        _flask_app = create_app()


class ContextTask(celery.Task):
    abstract = True

    def __call__(self, *args, **kwargs):
        global _flask_app
        if _flask_app is None:
            from web.app import create_app

            _flask_app = create_app()
        with _flask_app.app_context():
            return super().__call__(*args, **kwargs)


celery.Task = ContextTask


@celery.task
def session_cleanup():
    db.session.execute(db.text("delete from sessions where expired"))
    db.session.commit()
