from pymongo import MongoClient


class MongoHandler:
    def __init__(self, uri):
        self._client = MongoClient(uri, connect=False)
        self._db = self._client["app"]

    def save(self, doc):
        self._db.jobs.insert_one(doc)
