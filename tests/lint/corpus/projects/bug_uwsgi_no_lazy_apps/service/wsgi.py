"""A WSGI app under uWSGI without lazy-apps: loaded in the master, workers forked from it."""
from pymongo import MongoClient

client = MongoClient("mongodb://db")
things = client.app.things


def application(environ, start_response):
    doc = things.find_one()  # expect: FS101 "uWSGI without lazy-apps" "client.app.things at line 5"
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(doc).encode()]
