"""The task and a ``task_prerun`` handler, both run in the pool child: the getter returns the client
the main process cached before the fork."""
from celery.signals import task_prerun

from foxworker.dependencies import get_mongo_client
from foxworker.main import app


@task_prerun.connect
def mark_started(sender, task_id, task, **kwargs):
    get_mongo_client().fox.jobs.update_one({"_id": task_id}, {"$set": {"started": True}})  # expect: FS104


@app.task(bind=True)
def train(self, config):
    jobs = get_mongo_client().fox.jobs  # expect: FS104 "_client" "dependencies.py:10"
    jobs.insert_one({"_id": self.request.id, "config": config})
