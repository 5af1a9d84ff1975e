from celery import Celery

from .application import mongo

celery_app = Celery("app")


@celery_app.task
def save(doc):
    mongo.save(doc)
