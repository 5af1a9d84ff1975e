from pymongo import MongoClient

client = MongoClient()
raw = client.app["raw"]


def make_new_client():
    client = MongoClient()
    return client, client.app["raw"]
