from pymongo import MongoClient

client = MongoClient("mongodb://db:27017")
items = client.shop.items
