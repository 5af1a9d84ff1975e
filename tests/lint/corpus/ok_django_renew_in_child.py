"""Safe: the parent closes before forking (also in a child that restarts itself), and a child that
calls ``connection.connect()`` first works on a connection of its own."""
import multiprocessing

from django.db import connection
from shop.models import Order


def listen():
    cursor = connection.cursor()
    cursor.execute("LISTEN orders")
    if not cursor.fetchall():
        connection.close()
        multiprocessing.Process(target=listen).start()


class Loader(multiprocessing.Process):
    def run(self):
        connection.connect()
        Order.objects.filter(state="new").update(state="seen")


def main():
    Order.objects.count()
    Loader().start()
    connection.close()
    multiprocessing.Process(target=listen).start()
