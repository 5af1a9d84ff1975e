# The worker imports this module, and initialization's connect, before it forks its prefork pool.
from celery import Celery

from pulp.server import initialization  # noqa: F401

celery = Celery("tasks", broker="amqp://")

from pulp.server.tasking import tasks  # noqa: E402,F401
