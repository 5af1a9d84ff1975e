"""A caching getter: the first call makes the client, every later call in that process returns it."""
from pymongo import MongoClient

_client = None


def get_mongo_client():
    global _client
    if _client is None:
        _client = MongoClient("mongodb://db")
    return _client
