"""The factory gunicorn --preload runs in its master: its schema step leaves a pooled connection
there, which the views in the forked workers then reuse. Its command-line commands (``flask seed``)
run in a process of their own, never in a worker, and are not reported."""
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Entry(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    amount = db.Column(db.Integer)


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://ledger@db/ledger"
    db.init_app(app)
    register_commands(app)

    @app.route("/total")
    def total():
        return str(sum(e.amount for e in Entry.query.all()))  # expect: FS101 "Entry"

    with app.app_context():
        db.create_all()
    return app


def register_commands(app):
    @app.cli.command("seed")
    def seed():
        db.session.add(Entry(amount=0))
        db.session.commit()

    @app.cli.command("count")
    def count():
        print(Entry.query.count())
