"""Celery's Django fixup closes Django's connections in each pool child: tasks may use them."""
from celery import shared_task
from django.db import connection


@shared_task
def vacuum(table):
    with connection.cursor() as cur:
        cur.execute(f"vacuum {table}")
