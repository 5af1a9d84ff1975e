# The fix: each pool process connects after the fork.
from celery import Celery
from celery.signals import worker_process_init

from pulp.server.db import connection

celery = Celery("tasks", broker="amqp://")


@worker_process_init.connect
def connect_in_worker(**kwargs):
    connection.initialize()


from pulp.server.tasking import tasks  # noqa: E402,F401
