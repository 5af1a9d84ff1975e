"""A factory in a namespace package (no ``__init__.py``): kombu connects on first use."""
from kombu import Connection


def get_rabbitmq_connection():
    return Connection("amqp://guest:guest@localhost//")
