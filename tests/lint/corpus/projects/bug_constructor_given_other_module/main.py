import multiprocessing as mp

from crawl.workers import Saver
from pymongo import MongoClient

if __name__ == "__main__":
    db = MongoClient("mongodb://db")["crawl"]
    queue = mp.Queue()
    for _ in range(3):
        Saver(db, queue).start()
