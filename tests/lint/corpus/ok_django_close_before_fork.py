"""Safe twin: close Django's connections before forking; each child opens its own on first query."""
from multiprocessing import Process

from django import db
from django.db import connection


def export(part):
    with connection.cursor() as cur:
        cur.execute("select * from orders where part = %s", [part])


def handle():
    with connection.cursor() as cur:
        cur.execute("select distinct part from orders")
        parts = [row[0] for row in cur.fetchall()]
    db.connections.close_all()
    for part in parts:
        Process(target=export, args=(part,)).start()
