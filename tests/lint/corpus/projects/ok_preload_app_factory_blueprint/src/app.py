"""Without --preload each worker imports entry.py and runs the factory itself: the client is its own;
the blueprint factory and its views run in that worker."""
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
