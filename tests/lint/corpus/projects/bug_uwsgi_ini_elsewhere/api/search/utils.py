from pymongo import MongoClient


def get_mongo_client():
    return MongoClient("mongodb://db:27017")
