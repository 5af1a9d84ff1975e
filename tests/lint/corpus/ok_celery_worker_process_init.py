"""Safe twin: the engine's inherited pool is dropped in each child (dispose(close=False))."""
from celery import Celery
from celery.signals import worker_process_init
from sqlalchemy import create_engine

app = Celery("tasks", broker="redis://localhost")
engine = create_engine("postgresql://app@db/app")


@worker_process_init.connect
def _reset(**kwargs):
    engine.dispose(close=False)


@app.task
def add_row(value):
    with engine.begin() as c:
        c.exec_driver_sql("insert into t values (%s)", (value,))
