"""pebble's ProcessPool forks its workers like an executor: a scheduled function that uses the
parent's client shares its sockets."""
import pebble
import pymongo

reports = pymongo.MongoClient("mongodb://db:27017").cuckoo.reports


def process(task_id):
    reports.insert_one({"task": task_id})  # expect: FS101 "MongoDB client 'reports'" "ProcessPool"


if __name__ == "__main__":
    reports.create_index("task")
    with pebble.ProcessPool(max_workers=4) as pool:
        pool.schedule(process, args=(1,))
