from celery import Celery
from flask import Flask

from events.models import Event, add_engine_pidguard, db

celery = Celery("events")


def create_app():
    app = Flask(__name__)
    db.init_app(app)
    with app.app_context():
        add_engine_pidguard(db.engine)
        db.create_all()
    return app


flask_app = create_app()


@celery.task
def publish(event_id):
    with flask_app.app_context():
        Event.query.get(event_id).state = "published"
        db.session.commit()
