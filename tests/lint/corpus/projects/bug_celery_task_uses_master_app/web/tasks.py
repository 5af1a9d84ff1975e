"""The tasks query under the app the master built: its engine's pool holds the master's connection."""
from celery import shared_task
from celery_worker import flask_app

from web.extensions import db
from web.models import Invoice


@shared_task
def purge_sessions():
    with flask_app.app_context():
        db.session.execute(db.text("delete from sessions where expired"))  # expect: FS104 "db 'db'"
        db.session.commit()


@shared_task
def count_unpaid():
    with flask_app.app_context():
        return Invoice.query.filter_by(paid=False).count()  # expect: FS104 "db 'Invoice'"
