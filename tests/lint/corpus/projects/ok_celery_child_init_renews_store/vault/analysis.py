from vault.celeryctl import celery
from vault.store import store


@celery.task
def analyse(sha256):
    sample = store.samples.find_one({"sha256": sha256})
    store.db.results.insert_one({"sha256": sha256, "size": len(sample["data"])})
