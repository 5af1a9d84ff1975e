"""A @contextmanager yields Session(engine) over a module-level engine; Celery tasks use it."""
from contextlib import contextmanager

from celery import Celery
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

app = Celery("jobs", broker="redis://localhost")
engine = create_engine("postgresql://app@db/app")


@contextmanager
def session_scope():
    session = Session(engine)  # expect: FS104 "used in session_scope()" "called in refresh() at line 23"
    try:
        yield session
    finally:
        session.close()


@app.task
def refresh(n):
    with session_scope() as s:
        s.execute(text("select :n"), {"n": n})
