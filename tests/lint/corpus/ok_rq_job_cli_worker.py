"""Safe: started by the ``rq worker`` command, which imports this module only inside each work
horse (to find the job function), so the module-level client is made anew in every horse."""
import pymongo
from redis import Redis
from rq import Queue

client = pymongo.MongoClient("mongodb://db")
events = client.app.events


def log_event(e):
    events.insert_one(e)


def publish(e):
    q = Queue(connection=Redis())
    q.enqueue(log_event, e)
