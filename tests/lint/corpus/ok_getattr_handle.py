"""The fix: the task's worker connects in ``worker_process_init`` and takes its handles there."""
import config
import pymongo
from celery.signals import worker_process_init
from celerytask import celery

parsed = None


@worker_process_init.connect
def connect(**_):
    global parsed
    client = pymongo.MongoClient(config.MONGO_URI)
    parsed = getattr(getattr(client, config.MONGO_DB), config.OUTPUT_COLLECTION)


def send_all(docs):
    cursor = docs.find()
    for doc in cursor:
        parse_article.delay(str(doc.get("_id")), doc.get("text"))


@celery.task
def parse_article(article_id, text):
    parsed.insert_one({"article": article_id, "words": text.split()})
