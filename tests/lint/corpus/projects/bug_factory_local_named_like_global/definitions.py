from pymongo import MongoClient

client = MongoClient()
raw = client.app["raw"]


def get_client():
    return client, client.app["raw"]
