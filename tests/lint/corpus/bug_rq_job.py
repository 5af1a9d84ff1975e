"""RQ: the work horse is forked from a worker that imported this module (it runs the worker)."""
import pymongo
from redis import Redis
from rq import Queue, Worker

client = pymongo.MongoClient("mongodb://db")
events = client.app.events


def log_event(e):
    events.insert_one(e)  # expect: FS104


def publish(e):
    q = Queue(connection=Redis())
    q.enqueue(log_event, e)


def run_worker():
    Worker([Queue(connection=Redis())]).work()
