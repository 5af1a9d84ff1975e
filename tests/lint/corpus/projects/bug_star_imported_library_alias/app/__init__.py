# ruff: noqa: F403, F405  (star imports are the shape under test)
"""``db`` is SQLAlchemy, by the star import: the engine connects at import, in the Celery worker's
main process, and the module-level connection goes to every pool child."""
from .imports import *

celery = Celery(__name__, broker=os.getenv("REDIS_URL"))
engine = db.create_engine(os.getenv("DATABASE_URL"))
conn = engine.connect()
