"""Tasks in another module reach the connection through a getter, a helper and a direct import."""
from celery import shared_task

from . import db
from .db import conn, get_conn


@shared_task
def store(row):
    db.save(row)  # expect: FS104 "used in db.save()" "app/db.py:4"


@shared_task
def count():
    return get_conn().cursor()  # expect: FS104 "returned by db.get_conn()"


@shared_task
def ping():
    return conn.closed  # expect: FS104 "psycopg2.connect() made at"
