# ruff: noqa: F403, F405  (star imports are the shape under test)
"""Safe: the same star-imported SQLAlchemy, but the engine is made in each task (in the pool child)."""
from .imports import *

celery = Celery(__name__, broker=os.getenv("REDIS_URL"))
