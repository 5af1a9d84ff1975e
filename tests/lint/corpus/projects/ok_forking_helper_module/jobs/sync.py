"""The fix: close Django's connections before handing the worker to the helper, and connect to the
feeds database inside each child."""
import psycopg2
from django.db import connections
from utils.parallel import run_parallel

from jobs.models import Article


def index_worker(ids, worker_index):
    feeds = psycopg2.connect("dbname=feeds")
    for article in Article.objects.filter(id__in=ids):
        feeds.cursor().execute("SELECT 1")
        article.save()


def sync_articles():
    ids = list(Article.objects.values_list("id", flat=True))
    connections.close_all()
    run_parallel(ids, index_worker)
