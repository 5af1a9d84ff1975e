"""Safe: the import connects (the worker's own client), and every pool child drops that client and
connects its own before any task (``worker_process_init``), as mongoengine's docs advise."""
from celery import Celery
from celery.signals import worker_process_init
from database import connect_mongo
from mongoengine import connect, disconnect

connect_mongo("Celery_Worker")

celery = Celery("annotator", broker="amqp://rabbitmq")
celery.autodiscover_tasks(["workers.tasks"])


@worker_process_init.connect
def reconnect(**_):
    disconnect(alias="default")
    connect("Celery_Worker", host="mongodb://db:27017/annotator", alias="default")
