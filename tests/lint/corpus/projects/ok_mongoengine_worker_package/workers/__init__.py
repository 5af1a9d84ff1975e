"""The fix: each pool child connects mongoengine's default client for itself."""
from celery import Celery
from celery.signals import worker_process_init
from database import connect_mongo

celery = Celery("annotator", broker="amqp://rabbitmq")
celery.autodiscover_tasks(["workers.tasks"])


@worker_process_init.connect
def connect(**_):
    connect_mongo("Celery_Worker")
