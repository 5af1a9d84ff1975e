"""Safe: each worker's initializer gets a client of its own from the factory (the factory's module
binds a global of the same name only when run as a script)."""
from multiprocessing import Pool

from database_setup import get_client

db = None


def init_db():
    global db
    db = get_client()["archive"]


def process_file(path):
    db["documents"].insert_one({"path": path})


if __name__ == "__main__":
    with Pool(4, initializer=init_db) as pool:
        pool.map(process_file, ["a.json", "b.json"])
