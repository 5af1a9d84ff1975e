# The twin: the same app served with --lazy-apps: each worker imports it after the fork.
from pymongo import MongoClient

client = MongoClient("mongodb://db")
