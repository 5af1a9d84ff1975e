"""A management command queries, then makes its pool: the workers inherit the open connection."""
import multiprocessing

from django.core.management.base import BaseCommand
from reader.models import Feed


def update(feed_id):
    Feed.objects.get(pk=feed_id).refresh()  # expect: FS101 "Django connection" "Feed.objects"


class Command(BaseCommand):
    def handle(self, *args, **options):
        ids = list(Feed.objects.values_list("pk", flat=True))
        pool = multiprocessing.Pool(processes=3)
        for feed_id in ids:
            pool.apply_async(update, (feed_id,))
        pool.close()
        pool.join()
