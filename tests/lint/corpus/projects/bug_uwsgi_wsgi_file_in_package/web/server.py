"""Started as ``--wsgi-file server.py`` from web/: uWSGI imports it as ``server`` in the master,
although it sits in the ``web`` package."""
from flask import Flask
from pymongo import MongoClient

app = Flask(__name__)
articles = MongoClient().news.articles


@app.route("/article/<key>")
def article(key):
    return articles.find_one({"_id": key})  # expect: FS101 "(run.sh line 2)"
