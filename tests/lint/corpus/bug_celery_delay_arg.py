"""A connection passed to a Celery task as an argument (and an RQ job)."""
import sqlite3

from celery import Celery
from rq import Queue

app = Celery("t")
conn = sqlite3.connect("/tmp/a.db")


@app.task
def report(c, n):
    return n


def save(c):
    return c


def go(queue: Queue):
    report.delay(conn, 1)  # expect: FS102
    queue.enqueue(save, conn)  # expect: FS102
