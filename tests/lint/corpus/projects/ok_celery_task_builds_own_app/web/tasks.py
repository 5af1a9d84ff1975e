"""Each task builds its own Flask app: Flask-SQLAlchemy keeps an engine per app, made in the child."""
from celery import shared_task

from web.app import create_app
from web.extensions import db
from web.models import Invoice


@shared_task
def purge_sessions():
    app = create_app()
    with app.app_context():
        db.session.execute(db.text("delete from sessions where expired"))
        db.session.commit()


@shared_task
def count_unpaid():
    app = create_app()
    with app.app_context():
        return Invoice.query.filter_by(paid=False).count()
