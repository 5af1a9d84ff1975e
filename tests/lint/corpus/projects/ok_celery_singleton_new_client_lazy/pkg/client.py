"""Safe twin: the singleton's client is made with connect=False and the Celery parent never
uses it, so each prefork child connects on its first query."""
from pymongo import MongoClient


class MongoDBClient:
    _instance = None

    def __new__(cls, *args, **kwargs):
        if not cls._instance:
            cls._instance = super().__new__(cls, *args, **kwargs)
            cls._instance._client = MongoClient("mongodb://db", connect=False)
            cls._instance._db = cls._instance._client["app"]
        return cls._instance

    @property
    def db(self):
        return self._db


mongo_client = MongoDBClient()
db = mongo_client.db
