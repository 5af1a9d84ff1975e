"""A singleton whose ``__new__`` makes the MongoDB client (connected when made) on the instance it
returns; the module makes the one instance at import."""
from pymongo import MongoClient


class MongoDBClient:
    _instance = None

    def __new__(cls, *args, **kwargs):
        if not cls._instance:
            cls._instance = super().__new__(cls, *args, **kwargs)
            cls._instance._client = MongoClient("mongodb://db")
            cls._instance._db = cls._instance._client["app"]
        return cls._instance

    @property
    def db(self):
        return self._db


mongo_client = MongoDBClient()
db = mongo_client.db
