"""The fix: each pool child drops the engine's inherited pool before its first query."""
from app import celery, create_app
from celery.signals import worker_process_init
from database import db
from search import find_gene

app = create_app()


@worker_process_init.connect
def reset_pool(**_):
    with app.app_context():
        db.engine.dispose(close=False)


@celery.task
def search_task(name):
    return find_gene(name).id
