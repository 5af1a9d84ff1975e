"""A client bound into a task's default argument: the default is evaluated once, when the ``def``
runs at import in the Celery parent, so every prefork child queries through the parent's client."""
from celery import Celery
from pymongo import MongoClient

client = MongoClient("mongodb://db")
celery = Celery(__name__, broker="redis://broker")


class TodoDAO:
    def __init__(self, collection):
        self.collection = collection

    def all(self):
        return list(self.collection.find({}))


@celery.task
def all_todos(dao=TodoDAO(client.todos.items)):  # noqa: B008  # expect: FS104 "default of parameter 'dao'"
    return dao.all()


@celery.task
def count(collection=client.todos.items):  # expect: FS104 "client.todos.items at line 24"
    return collection.count_documents({})
