"""Safe: the command makes its pool before its first query, so no connection is open at the fork
(the workers open their own); the parent's later queries use a connection only it has."""
import multiprocessing

from django.core.management.base import BaseCommand
from reader.models import Feed


def update(feed_id):
    Feed.objects.get(pk=feed_id).refresh()


class Command(BaseCommand):
    def handle(self, *args, **options):
        pool = multiprocessing.Pool(processes=3)
        for feed_id in Feed.objects.values_list("pk", flat=True):
            pool.apply_async(update, (feed_id,))
        pool.close()
        pool.join()
