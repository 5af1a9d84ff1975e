from pymongo import MongoClient

INSTALLED_APPS = ["reports"]
MONGO_CONNECTION = MongoClient("mongodb://mongo:27017", tz_aware=True, connect=False)
MONGO_DB = MONGO_CONNECTION["formhub"]
