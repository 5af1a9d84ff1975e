# ruff: noqa: F403, F405  (star imports are the shape under test)
from app import *


@celery.task
def count_users():
    with db.create_engine(os.getenv("DATABASE_URL")).connect() as conn:
        return conn.execute("SELECT count(*) FROM users").scalar()
