"""Safe twin: lazy-apps loads the app in each worker, after the fork."""
from pymongo import MongoClient

client = MongoClient("mongodb://db")
things = client.app.things


def application(environ, start_response):
    doc = things.find_one()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(doc).encode()]
