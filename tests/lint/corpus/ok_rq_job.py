"""Safe twin: the job makes its own client; Redis (fork-aware) at module level is fine."""
import pymongo
from redis import Redis
from rq import Queue

redis_conn = Redis()


def log_event(e):
    client = pymongo.MongoClient("mongodb://db")
    client.app.events.insert_one(e)
    redis_conn.incr("events")


def publish(e):
    Queue(connection=redis_conn).enqueue(log_event, e)
