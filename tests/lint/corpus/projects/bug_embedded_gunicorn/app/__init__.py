"""The Flask app and its database; create_app() queries at import time (in the master)."""
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def create_app():
    app = Flask(__name__)
    db.init_app(app)
    with app.app_context():
        db.create_all()
    app.add_url_rule("/users", view_func=users)
    return app


def users():
    count = db.session.execute(db.text("select count(*) from users"))  # expect: FS101 "gunicorn run by"
    return str(count.scalar())
