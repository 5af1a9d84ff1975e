"""Flask-SQLAlchemy given engine options that keep a pool: the tables are created at import in the
Celery parent, and the pooled connection that leaves is inherited by every prefork child."""
from celery import Celery
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

flask_app = Flask(__name__)
flask_app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://app@db/app"
db = SQLAlchemy(flask_app, engine_options={"pool_size": 5, "pool_pre_ping": True})
celery = Celery(__name__, broker="redis://localhost")

with flask_app.app_context():
    db.create_all()


@celery.task
def rename(user_id, name):
    with flask_app.app_context():
        db.session.execute(  # expect: FS104 "SQLAlchemy() made at line 9"
            db.text("update users set name = :n where id = :i"), {"n": name, "i": user_id})
        db.session.commit()
