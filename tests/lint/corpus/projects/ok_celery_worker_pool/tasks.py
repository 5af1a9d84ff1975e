"""The safe shape: every worker of the project runs the solo pool (the Procfile, and the config
module's worker_pool), so tasks run in the worker process that connected; nothing forks."""
from celery import Celery
from pymongo import MongoClient

app = Celery("tasks", broker="redis://broker")
events = MongoClient("mongodb://db").app.events


@app.task
def record(event):
    events.insert_one(event)
