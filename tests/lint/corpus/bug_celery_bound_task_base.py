"""A bound Celery task with a base class: Celery makes the task instance once, in the worker's parent
process, so the client DBTask.__init__ made there is the one every pool child uses."""
import pymongo
from celery import Celery, Task

app = Celery("inventory")


class DBTask(Task):
    def __init__(self):
        self.mongo = pymongo.MongoClient("mongodb://db")


@app.task(bind=True, base=DBTask)
def inventory(self, host):
    return self.mongo.app.hosts.find_one({"host": host})  # expect: FS104 "made in DBTask.__init__"
