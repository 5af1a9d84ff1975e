"""The app factory runs in the gunicorn master (entry.py calls it at import, --preload): the client
it makes is handed to the blueprint factory, whose views run in the forked workers."""
from flask import Flask
from pymongo import MongoClient

from src.routes import get_routes


def register_blueprints(app, db):
    app.register_blueprint(get_routes(db))


def create_app():
    app = Flask(__name__)
    db = MongoClient("mongodb://db:27017")["software"]
    register_blueprints(app, db)
    return app
