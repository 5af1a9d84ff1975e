# Loaded in the uWSGI master: the client is made there, before the workers fork.
from pymongo import MongoClient

client = MongoClient("mongodb://db")
