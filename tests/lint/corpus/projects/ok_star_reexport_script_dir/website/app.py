from celery import Celery
from database import db
from flask import Flask

celery = Celery("website")


def create_app():
    app = Flask(__name__)
    db.init_app(app)
    with app.app_context():
        db.create_all()  # connects: the pool keeps the connection
    return app
