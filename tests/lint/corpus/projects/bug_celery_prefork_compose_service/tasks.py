"""The compose service named celery_worker runs the default prefork pool: the children inherit the
client the master connected at import."""
from celery import Celery
from pymongo import MongoClient

app = Celery("tasks", broker="redis://broker")
events = MongoClient("mongodb://db").app.events


@app.task
def record(event):
    events.insert_one(event)  # expect: FS104 "MongoDB client 'events'"
