"""Safe twin: every pool child drops the engine it inherited before running a task."""
from celery import Celery
from celery.signals import worker_process_init
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
flask_app = Flask(__name__)
db.init_app(flask_app)
celery = Celery(__name__, broker="redis://localhost")


@worker_process_init.connect
def fresh_engine(**kwargs):
    with flask_app.app_context():
        db.engine.dispose(close=False)


@celery.task
def rename(user_id, name):
    with flask_app.app_context():
        db.session.execute(
            db.text("update users set name = :n where id = :i"), {"n": name, "i": user_id})
        db.session.commit()
