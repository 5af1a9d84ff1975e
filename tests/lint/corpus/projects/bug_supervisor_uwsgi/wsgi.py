"""Loaded by the uWSGI master (no --lazy-apps), which then forks the four workers."""
import pymongo
from flask import Flask

app = Flask(__name__)
users = pymongo.MongoClient("mongodb://db")["app"]["users"]
users.create_index("name")


@app.route("/<name>")
def user(name):
    found = users.find_one({"name": name})  # expect: FS101 "(supervisor_app.conf line 2)"
    return str(found)
