"""A Django management command: its query opens Django's connection, then Pool workers use the ORM."""
from multiprocessing import Pool

from django.core.management.base import BaseCommand
from shop.models import Order


def refresh(order_id):
    Order.objects.filter(id=order_id).update(state="done")  # expect: FS101 "in handle() at line 14"


class Command(BaseCommand):
    def handle(self, *args, **options):
        ids = list(Order.objects.values_list("id", flat=True))
        with Pool(4) as pool:
            pool.map(refresh, ids)
