"""A bound Celery task hands its instance to a helper: ``task`` there is the instance Celery made in
the worker's parent, and the client its base class's ``__init__`` made (through ``init_db()``) is
the one every pool child inherits."""
import pymongo
from celery import Celery, Task

app = Celery("attributes")


class AttributeManager(Task):
    abstract = True

    def __init__(self):
        self.userdb = None
        self.init_db()

    def init_db(self):
        self.userdb = pymongo.MongoClient("mongodb://db")


@app.task(bind=True, base=AttributeManager)
def update_attributes(self, user_id):
    return _update_attributes(self, user_id)


def _update_attributes(task, user_id):
    user = task.userdb.am.users.find_one({"_id": user_id})  # expect: FS104 "task.userdb" "AttributeManager"
    return _save(task=task, user=user)


def _save(task, user):
    return task.userdb.am.users.replace_one({"_id": user["_id"]}, user)  # expect: FS104 "task.userdb"
