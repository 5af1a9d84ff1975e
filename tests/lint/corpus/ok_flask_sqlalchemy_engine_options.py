"""Safe twin: Flask-SQLAlchemy's engine is built with NullPool, so it keeps no connection between
uses: the one ``create_all()`` opened at import is closed again before the Celery worker forks."""
from celery import Celery
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.pool import NullPool

flask_app = Flask(__name__)
flask_app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://app@db/app"
db = SQLAlchemy(flask_app, engine_options={"poolclass": NullPool})
celery = Celery(__name__, broker="redis://localhost")

with flask_app.app_context():
    db.create_all()


@celery.task
def rename(user_id, name):
    with flask_app.app_context():
        db.session.execute(
            db.text("update users set name = :n where id = :i"), {"n": name, "i": user_id})
        db.session.commit()
