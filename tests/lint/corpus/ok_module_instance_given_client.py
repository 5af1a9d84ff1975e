"""The fix: the instance keeps the connection's address and each task's process makes its own
client the first time it asks (``MongoClient(connect=False)`` would do as well)."""
import os

import pymongo
from celery import shared_task


class Store:
    def __init__(self, url):
        self.url = url
        self.connection = None
        self.pid = None

    def get_item(self, site_id):
        if self.pid != os.getpid():
            self.connection, self.pid = pymongo.MongoClient(self.url), os.getpid()
        return self.connection[site_id].items.find_one()


mongo_client = Store("mongodb://db")


def get_mongo_client():
    return mongo_client


@shared_task
def update(site_id):
    get_mongo_client().get_item(site_id)


@shared_task
def write(site_id):
    mongo_client.get_item(site_id)
