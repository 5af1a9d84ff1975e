"""Safe twin: the client is lazy (connect=False), so each pool child connects itself."""
import pymongo

client = pymongo.MongoClient("mongodb://db", connect=False)
