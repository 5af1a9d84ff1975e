"""``celery -A workers worker``: the worker imports this package, which connects mongoengine's default
client, before it forks the pool; the tasks module (autodiscovered) queries over that client."""
from celery import Celery
from database import connect_mongo

connect_mongo("Celery_Worker")

celery = Celery("annotator", broker="amqp://rabbitmq")
celery.autodiscover_tasks(["workers.tasks"])
