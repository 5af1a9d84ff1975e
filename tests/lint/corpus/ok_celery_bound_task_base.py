"""Safe twin: the task base makes its client on first use, in the pool child."""
import pymongo
from celery import Celery, Task

app = Celery("inventory")


class DBTask(Task):
    _mongo = None

    @property
    def mongo(self):
        if self._mongo is None:
            self._mongo = pymongo.MongoClient("mongodb://db")
        return self._mongo


@app.task(bind=True, base=DBTask)
def inventory(self, host):
    return self.mongo.app.hosts.find_one({"host": host})
