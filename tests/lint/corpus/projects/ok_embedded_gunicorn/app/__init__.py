"""Safe twin of bug_embedded_gunicorn: see __main__.py."""
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
    count = db.session.execute(db.text("select count(*) from users"))
    return str(count.scalar())
