# A module named ``async``: Python 2 / 3.6 code (``async`` became a keyword in 3.7).
from pymongo import MongoClient

client = MongoClient("mongodb://db")
print "connected"  # expect: FS001
