"""The fix: the class is given the address and connects in ``run()``, in the child."""
import multiprocessing as mp

from pymongo import MongoClient


class Saver(mp.Process):
    def __init__(self, url, queue):
        super().__init__()
        self.url = url
        self.queue = queue

    def run(self):
        self.db = MongoClient(self.url)["crawl"]
        for item in iter(self.queue.get, None):
            self.db.items.insert_one(item)
