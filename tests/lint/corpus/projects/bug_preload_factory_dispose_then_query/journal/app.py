"""The factory empties the engine's pool after its schema step, but the module gunicorn --preload
imports queries again after calling it (``wsgi.py``): the master forks its workers holding that
connection, and the views reuse it."""
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Entry(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    amount = db.Column(db.Integer)


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://journal@db/journal"
    db.init_app(app)
    register_commands(app)

    @app.route("/total")
    def total():
        return str(sum(e.amount for e in Entry.query.all()))  # expect: FS101 "Entry"

    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return app


def register_commands(app):
    @app.cli.command("seed")
    def seed():
        db.session.add(Entry(amount=0))
        db.session.commit()

    @app.cli.command("count")
    def count():
        print(Entry.query.count())
