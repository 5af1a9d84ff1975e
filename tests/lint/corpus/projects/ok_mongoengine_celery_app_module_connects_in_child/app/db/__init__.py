from mongoengine import connect

from app.db.images import ImageModel

__all__ = ["ImageModel", "connect_mongo"]


def connect_mongo(name, host=None):
    if host is None:
        host = "mongodb://db"
    connect(name, host=host)
