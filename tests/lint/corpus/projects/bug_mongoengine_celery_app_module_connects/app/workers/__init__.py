from celery import Celery

from app.db import connect_mongo

connect_mongo("Celery_Worker")

celery = Celery("x", broker="redis://b")
