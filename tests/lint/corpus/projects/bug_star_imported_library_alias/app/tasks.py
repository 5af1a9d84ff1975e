# ruff: noqa: F403, F405  (star imports are the shape under test)
from app import *


@celery.task
def count_users():
    return conn.execute("SELECT count(*) FROM users").scalar()  # expect: FS104 "engine.connect() at line 8"
