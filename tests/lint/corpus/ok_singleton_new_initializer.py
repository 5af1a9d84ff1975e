"""The safe shape: the same singleton, made first in each child (the parent never calls it)."""
from multiprocessing import Process
from threading import Lock

from pymongo import MongoClient


class Pool:
    _instance = None
    _lock = Lock()

    def __new__(cls):
        with cls._lock:
            if cls._instance is None:
                cls._instance = super().__new__(cls)
                cls._instance._connect()
        return cls._instance

    def _connect(self):
        self.client = MongoClient("mongodb://db", maxPoolSize=50)


def insert(rows):
    Pool().client.app.rows.insert_many(rows)


def worker(rows):
    insert(rows)


if __name__ == "__main__":
    print("starting")
    for chunk in ([{"n": 1}], [{"n": 2}]):
        Process(target=worker, args=(chunk,)).start()
