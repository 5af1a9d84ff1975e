"""The fix: each pebble worker connects in its initializer."""
import pebble
import pymongo

reports = None


def init_worker():
    global reports
    reports = pymongo.MongoClient("mongodb://db:27017").cuckoo.reports


def process(task_id):
    reports.insert_one({"task": task_id})


if __name__ == "__main__":
    with pebble.ProcessPool(max_workers=4, initializer=init_worker) as pool:
        pool.schedule(process, args=(1,))
