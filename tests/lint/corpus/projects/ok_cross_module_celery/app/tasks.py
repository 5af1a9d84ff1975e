"""Safe twin: the same tasks over the lazily connecting module."""
from celery import shared_task

from . import db
from .db import get_conn


@shared_task
def store(row):
    db.save(row)


@shared_task
def count():
    return get_conn().cursor()
