# The twin: the same app served with --lazy-apps (the module is Python 3 here: an ok program parses).
from pymongo import MongoClient

client = MongoClient("mongodb://db")
