"""A Django management command queries, then forks workers that use django.db.connection."""
from multiprocessing import Process

from django.db import connection


def export(part):
    with connection.cursor() as cur:  # expect: FS101 "django.db.connection"
        cur.execute("select * from orders where part = %s", [part])


def handle():
    with connection.cursor() as cur:
        cur.execute("select distinct part from orders")
        parts = [row[0] for row in cur.fetchall()]
    for part in parts:
        Process(target=export, args=(part,)).start()
