"""Safe: the worker module's worker_process_init handler disposes the engine in every pool child
(close=False), so the task queries over a connection of the child's own; the task is given a row's
column value (data, not a handle)."""
from celery import shared_task

from app import db
from app.models import User


@shared_task
def resize(avatar_id):
    return db.session.get(User, avatar_id)


def schedule(user_id):
    user = User(id=user_id)
    resize.delay(user.avatar_id)
