from celery import shared_task

from pkg.client import db, mongo_client
from pkg.collections import ViewCollection


@shared_task
def direct():
    return db["views"].find_one({})  # expect: FS104 "held as ._client by MongoDBClient()"


@shared_task
def via_instance():
    return mongo_client.db["views"].find_one({})  # expect: FS104 "MongoDBClient()"


@shared_task
def aggregate():
    return list(ViewCollection().aggregate([]))  # expect: FS104 "ViewCollection()"
