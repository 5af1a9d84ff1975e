"""Safe twin: --lazy-apps makes every worker load the app (and make the client) itself."""
import pymongo
from flask import Flask

app = Flask(__name__)
users = pymongo.MongoClient("mongodb://db")["app"]["users"]
users.create_index("name")


@app.route("/<name>")
def user(name):
    return str(users.find_one({"name": name}))
