from celery import Celery
from flask import Flask

from app.extensions import db


def create_app():
    app = Flask(__name__)
    db.init_app(app)  # Flask-SQLAlchemy 2.x: no engine yet; each process makes its own on first use
    return app


def create_celery_app():
    app = create_app()
    celery = Celery(app.import_name)
    celery.app = app
    return celery
