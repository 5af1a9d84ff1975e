"""Closing Django's inherited connections in the child is no fix: the driver's goodbye goes over the
parent's socket and ends its session (Celery's Django fixup drops the descriptors instead)."""
from multiprocessing import Pool

from django.db import connections
from shop.models import Order


def refresh(order_id):
    connections.close_all()  # expect: FS101 "Django connections"
    Order.objects.filter(id=order_id).update(state="done")  # expect: FS101 "is no fix"


def main():
    ids = list(Order.objects.values_list("id", flat=True))
    with Pool(4) as pool:
        pool.map(refresh, ids)
