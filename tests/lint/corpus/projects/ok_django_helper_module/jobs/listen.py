"""Safe twin: Django's connection is closed before the fork; the listener opens its own."""
import multiprocessing

from django.db import connection

from .notify import pending


def listen():
    return pending()


def start():
    print(pending())
    connection.close()
    process = multiprocessing.Process(target=listen)
    process.start()
    return process
