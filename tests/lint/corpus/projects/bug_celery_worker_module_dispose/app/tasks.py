"""The worker module made the app (and queried) before the pool forked; nothing renews the pool in
the children, so the task's query goes over the parent's connection."""
from celery import shared_task

from app import db
from app.models import User


@shared_task
def resize(avatar_id):
    return db.session.get(User, avatar_id)  # expect: FS104 "Flask-SQLAlchemy db" "__init__.py:4"
