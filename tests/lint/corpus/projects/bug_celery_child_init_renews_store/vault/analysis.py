from vault.celeryctl import celery
from vault.store import store


@celery.task
def analyse(sha256):
    sample = store.samples.find_one({"sha256": sha256})  # expect: FS104 "store.py:11" "Store()"
    store.db.results.insert_one({"sha256": sha256, "size": len(sample["data"])})
