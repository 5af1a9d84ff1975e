"""The client, made at import."""
import pymongo

db = pymongo.MongoClient("mongodb://db")["reports"]
