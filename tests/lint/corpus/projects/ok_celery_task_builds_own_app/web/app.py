"""The app factory: binding the extensions makes the engine; the start-up check queries through it."""
from flask import Flask

from web.extensions import db


def create_app():
    app = Flask(__name__)
    app.config.from_object("web.settings")
    register_extensions(app)
    with app.app_context():
        db.session.execute(db.text("select 1"))  # the master's pool keeps this connection
    return app


def register_extensions(app):
    db.init_app(app)
