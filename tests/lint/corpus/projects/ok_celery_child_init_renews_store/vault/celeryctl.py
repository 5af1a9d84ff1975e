"""The worker's app module: its ``worker_process_init`` handler runs ``vault_init()`` in every pool
child after the fork, and ``store.connect()`` there gives the child a client of its own."""
from celery import Celery, signals

from vault import vault_init

celery = Celery("vault", broker="mongodb://db/vault", include=["vault.analysis"])


def connect_to_db(**kwargs):
    vault_init()


signals.worker_process_init.connect(connect_to_db)
