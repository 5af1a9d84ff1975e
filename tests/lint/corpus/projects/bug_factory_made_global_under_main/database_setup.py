import os

from pymongo import MongoClient


def get_client():
    """A new client per call, checked with a ping."""
    client = MongoClient(os.environ["MONGO_URI"], serverSelectionTimeoutMS=1000)
    client.admin.command("ping")
    return client


if __name__ == "__main__":  # python database_setup.py: set the database up
    client = get_client()
    client["archive"]["documents"].create_index("path")
