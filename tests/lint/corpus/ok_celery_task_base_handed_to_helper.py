"""The fix: the base class connects on first use, inside the pool child that runs the task (a
property), so the task instance Celery made in the worker's parent holds no client."""
import pymongo
from celery import Celery, Task

app = Celery("attributes")


class AttributeManager(Task):
    abstract = True
    _userdb = None

    @property
    def userdb(self):
        if self._userdb is None:
            self._userdb = pymongo.MongoClient("mongodb://db")
        return self._userdb


@app.task(bind=True, base=AttributeManager)
def update_attributes(self, user_id):
    return _update_attributes(self, user_id)


def _update_attributes(task, user_id):
    user = task.userdb.am.users.find_one({"_id": user_id})
    return _save(task=task, user=user)


def _save(task, user):
    return task.userdb.am.users.replace_one({"_id": user["_id"]}, user)
