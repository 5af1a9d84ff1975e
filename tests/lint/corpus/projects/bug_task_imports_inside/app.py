"""The app's client, made when the worker imports the app."""
import pymongo

client = pymongo.MongoClient("mongodb://db")
