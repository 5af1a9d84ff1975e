"""Safe twin: the defaults are only the database's address and names; each task makes its client
in the child that runs it."""
from celery import Celery
from pymongo import MongoClient

celery = Celery(__name__, broker="redis://broker")


class TodoDAO:
    def __init__(self, collection):
        self.collection = collection

    def all(self):
        return list(self.collection.find({}))


@celery.task
def all_todos(url="mongodb://db", name="todos"):
    with MongoClient(url) as client:
        return TodoDAO(client[name].items).all()


@celery.task
def count(url="mongodb://db"):
    with MongoClient(url) as client:
        return client.todos.items.count_documents({})
