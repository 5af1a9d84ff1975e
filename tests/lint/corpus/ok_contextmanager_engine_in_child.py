"""Safe twin: the engine's inherited pool is dropped in each pool child before any task runs."""
from contextlib import contextmanager

from celery import Celery
from celery.signals import worker_process_init
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

app = Celery("jobs", broker="redis://localhost")
engine = create_engine("postgresql://app@db/app")


@worker_process_init.connect
def reset_engine(**kwargs):
    engine.dispose(close=False)


@contextmanager
def session_scope():
    session = Session(engine)
    try:
        yield session
    finally:
        session.close()


@app.task
def refresh(n):
    with session_scope() as s:
        s.execute(text("select :n"), {"n": n})
