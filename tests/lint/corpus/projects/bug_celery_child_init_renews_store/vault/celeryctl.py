"""The worker's app module: its ``worker_process_init`` handler runs ``vault_init()`` in every pool
child, but ``store.connect()`` there reuses the client the main process made before the fork."""
from celery import Celery, signals

from vault import vault_init

celery = Celery("vault", broker="mongodb://db/vault", include=["vault.analysis"])


def connect_to_db(**kwargs):
    vault_init()  # expect: FS101 "used in vault.vault_init()" "child initializer"


signals.worker_process_init.connect(connect_to_db)
