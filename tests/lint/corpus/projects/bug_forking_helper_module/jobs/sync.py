"""The job queries through Django's ORM, then hands its worker to the helper: the pool's children
inherit the connection the query opened (``django.setup`` in the initializer does not close it)."""
import psycopg2
from utils.parallel import run_parallel

from jobs.models import Article

feeds = psycopg2.connect("dbname=feeds")


def index_worker(ids, worker_index):
    for article in Article.objects.filter(id__in=ids):  # expect: FS101 "run_parallel() at line 19"
        feeds.cursor().execute("SELECT 1")  # expect: FS101 "psycopg2.connect() made at line 8"
        article.save()


def sync_articles():
    ids = list(Article.objects.values_list("id", flat=True))
    run_parallel(ids, index_worker)
