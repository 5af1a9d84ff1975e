"""A helper module that queries through Django's connection."""
from django.db import connection


def pending():
    with connection.cursor() as cur:
        cur.execute("select id from notifications where sent = false")
        return [row[0] for row in cur.fetchall()]
