"""The client, lazy: each child connects on first use."""
import pymongo

db = pymongo.MongoClient("mongodb://db", connect=False)["reports"]
