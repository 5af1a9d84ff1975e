"""A client given to the project's own class at import (``mongo_client = Store(getConnection())``)
travels with that instance: Celery tasks that call its methods, directly or through a getter, talk
over the socket the worker's parent connected. pymongo 2.x's ``Connection`` connects when made."""
import pymongo
from celery import shared_task


class Store:
    def __init__(self, connection):
        self.connection = connection

    def get_item(self, site_id):
        return self.connection[site_id].items.find_one()


def get_connection():
    return pymongo.Connection("mongodb://db")


mongo_client = Store(get_connection())


def get_mongo_client():
    return mongo_client  # expect: FS104 "held as .connection by Store() made at line 20" "line 29"


@shared_task
def update(site_id):
    client = get_mongo_client()
    client.get_item(site_id)


@shared_task
def write(site_id):
    mongo_client.get_item(site_id)  # expect: FS104 "pymongo.Connection() made at line 17"
