"""A task module that connects at import. The README's prefork worker forks its pool after importing
it; the Procfile's solo worker alone would not."""
from celery import Celery
from pymongo import MongoClient

app = Celery("tasks", broker="redis://broker")
events = MongoClient("mongodb://db").app.events


@app.task
def record(event):
    events.insert_one(event)  # expect: FS104
