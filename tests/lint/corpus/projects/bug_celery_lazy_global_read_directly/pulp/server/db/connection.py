import pymongo

_CONNECTION = None
_DATABASE = None


def initialize(name="pulp_database"):
    global _CONNECTION, _DATABASE
    _CONNECTION = pymongo.MongoClient("mongodb://localhost:27017")
    _DATABASE = getattr(_CONNECTION, name)
    _DATABASE.collection_names()


def get_database():
    return _DATABASE


def get_collection(name):
    return get_database()[name]
