"""Safe: Django opens ``django.db.connection`` on the first query, in whichever process runs it; the
parent only forks, so each child's cursor opens a connection of its own."""
from multiprocessing import Process

from django.db import connection


def export(part):
    with connection.cursor() as cur:
        cur.execute("select * from orders where part = %s", [part])


def handle(parts):
    for part in parts:
        Process(target=export, args=(part,)).start()
