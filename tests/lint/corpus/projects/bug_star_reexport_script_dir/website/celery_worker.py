"""Run from website/ (``celery -A celery_worker.celery worker``): modules import each other by their
names inside the directory (``database``, ``models``), and ``models`` re-exports ``models.bio``."""
from app import celery, create_app
from search import find_gene

app = create_app()


@celery.task
def search_task(name):
    return find_gene(name).id  # expect: FS104 "db 'Gene'" "used in search.find_gene()"
