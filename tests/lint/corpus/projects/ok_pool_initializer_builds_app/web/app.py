"""The app factory: binding the extensions is what makes the engine, in the process that calls it."""
from flask import Flask

from web.extensions import db


def create_app():
    app = Flask(__name__)
    app.config.from_object("web.settings")
    register_extensions(app)
    return app


def register_extensions(app):
    db.init_app(app)
