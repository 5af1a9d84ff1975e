"""The fix: each pool child connects mongoengine's default client for itself."""
from celery import Celery
from celery.signals import worker_process_init

from twit.models import TwitterUser, connect_to_database

app = Celery("twit", broker="redis://")


@worker_process_init.connect
def connect(**_):
    connect_to_database("twitter")


@app.task
def store_user(user_id, name):
    user = TwitterUser(user_id=user_id, name=name)
    user.save()
