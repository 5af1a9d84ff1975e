"""The store connects when it is made, at import, in the Celery worker's main process; ``connect()``
only adds an index, through the client the instance already holds."""
from pymongo import MongoClient


class Store:
    def __init__(self):
        self.init()

    def init(self):
        self._con = MongoClient("mongodb://db", serverSelectionTimeoutMS=10000)
        self.db = self._con["vault"]
        self.samples = self.db.samples

    def connect(self):
        self.samples.create_index("sha256")


store = Store()
