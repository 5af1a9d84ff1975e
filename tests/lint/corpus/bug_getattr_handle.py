"""A database and collection taken with ``getattr(client, name)`` are handles of the import-time
client: the Celery task writes over the parent's sockets."""
import config
import pymongo
from celerytask import celery

client = pymongo.MongoClient(config.MONGO_URI)
db = getattr(client, config.MONGO_DB)
articles = getattr(db, config.INPUT_COLLECTION)
parsed = getattr(db, config.OUTPUT_COLLECTION)


def send_all():
    cursor = articles.find()
    for doc in cursor:  # rows of a query, not the client: passing them is fine
        parse_article.delay(str(doc.get("_id")), doc.get("text"))


@celery.task
def parse_article(article_id, text):
    words = text.split()
    parsed.insert_one({"id": article_id, "words": words})  # expect: FS104 "MONGO_DB) at line 8"
