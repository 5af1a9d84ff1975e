"""Celery tasks; the app module checks the database at import, in the worker's master."""
from app.db import get_engine, validate_db
from celery import Celery
from sqlalchemy import text

celery = Celery("tasks", broker="redis://localhost:6379/0")
validate_db()


@celery.task
def delete_cache():
    with get_engine().begin() as conn:  # expect: FS104 "get_engine()"
        conn.execute(text("delete from cache where expired"))
