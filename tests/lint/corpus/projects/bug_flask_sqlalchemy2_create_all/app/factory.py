from celery import Celery
from flask import Flask

from app.extensions import db


def create_app():
    app = Flask(__name__)
    db.init_app(app)
    with app.app_context():
        db.create_all()  # Flask-SQLAlchemy 2.x makes the engine here, in the worker's parent
    return app


def create_celery_app():
    app = create_app()
    celery = Celery(app.import_name)
    celery.app = app
    return celery
