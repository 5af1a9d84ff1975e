"""Flask-SQLAlchemy's db object (init_app later) used in a Celery task: the engine is the parent's."""
from celery import Celery
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
flask_app = Flask(__name__)
db.init_app(flask_app)
celery = Celery(__name__, broker="redis://localhost")


@celery.task
def rename(user_id, name):
    with flask_app.app_context():
        db.session.execute(  # expect: FS104 "SQLAlchemy() made at line 6" "@celery.task at line 12"
            db.text("update users set name = :n where id = :i"), {"n": name, "i": user_id})
        db.session.commit()
