"""pymongo client at module level; executor map with a module function; initializer misuse."""
from concurrent.futures import ProcessPoolExecutor

from pymongo import MongoClient

client = MongoClient("mongodb://db")
coll = client["app"]["users"]


def init():
    client.admin.command("ping")  # expect: FS101


def find(uid):
    return coll.find_one({"_id": uid})  # expect: FS101


def main(ids):
    with ProcessPoolExecutor(initializer=init) as ex:
        return list(ex.map(find, ids))
