"""The fix: gunicorn without --preload; each worker imports wsgi and makes its own app and clients."""
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
