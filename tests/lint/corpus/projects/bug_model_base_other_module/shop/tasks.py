"""Celery (prefork) runs the task in children forked from the worker that imported this module."""
from celery import Celery

from shop.models.user import User

app = Celery("shop")


@app.task
def expire(user_id):
    return User.get(id=user_id)  # expect: FS104 "class attribute Model.db -> inherited by User"
