"""Celery prefork: module imported in the parent, tasks run in forked children."""
from celery import Celery
from sqlalchemy import create_engine

app = Celery("tasks", broker="redis://localhost")
engine = create_engine("postgresql://app@db/app")


@app.task
def add_row(value):
    with engine.begin() as c:  # expect: FS104
        c.exec_driver_sql("insert into t values (%s)", (value,))
