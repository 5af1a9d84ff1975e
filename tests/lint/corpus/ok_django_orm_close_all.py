"""Safe twin: close Django's connections before forking; each worker opens its own on first query."""
from multiprocessing import Pool

from django import db
from django.core.management.base import BaseCommand
from shop.models import Order


def refresh(order_id):
    Order.objects.filter(id=order_id).update(state="done")


class Command(BaseCommand):
    def handle(self, *args, **options):
        ids = list(Order.objects.values_list("id", flat=True))
        db.connections.close_all()
        with Pool(4) as pool:
            pool.map(refresh, ids)
