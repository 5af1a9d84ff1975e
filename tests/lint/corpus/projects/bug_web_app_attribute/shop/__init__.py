"""The app factory hangs the clients on the app; views read them as ``current_app.X``."""
import redis.asyncio as aioredis
from flask import Flask
from pymongo import MongoClient


def create_app():
    app = Flask(__name__)
    app.mongo = MongoClient("mongodb://db")
    from shop.views import bp
    app.register_blueprint(bp)
    init_cache(app)
    return app


def init_cache(app):
    app.cache = aioredis.from_url("redis://cache")
