"""The compose service named celery_worker runs the solo pool: tasks run in the worker process that
connected at import; nothing forks."""
from celery import Celery
from pymongo import MongoClient

app = Celery("tasks", broker="redis://broker")
events = MongoClient("mongodb://db").app.events


@app.task
def record(event):
    events.insert_one(event)
