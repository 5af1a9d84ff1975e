"""The tasks query under the app the master built: its engine's pool holds the master's connection."""
from celery import shared_task
from celery_worker import flask_app

from web.extensions import db


@shared_task
def purge_sessions():
    with flask_app.app_context():
        db.session.execute(db.text("delete from sessions where expired"))  # expect: FS104 "db 'db'"
        db.session.commit()
