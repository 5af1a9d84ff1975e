"""The task module connects mongoengine's default client at import, through a helper: the Celery
worker imports it before forking its pool, and each task saves over the parent's client."""
from celery import Celery

from twit.models import TwitterUser, connect_to_database

app = Celery("twit", broker="redis://")
connect_to_database("twitter")


@app.task
def store_user(user_id, name):
    user = TwitterUser(user_id=user_id, name=name)
    user.save()  # expect: FS104 "mongoengine.connect() by connect_to_database() made at line 8"
