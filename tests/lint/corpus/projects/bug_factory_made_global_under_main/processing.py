"""The parent gets a client at import and the pool's workers insert through it."""
from multiprocessing import Pool

from database_setup import get_client

client = get_client()


def process_file(path):
    client["archive"]["documents"].insert_one({"path": path})  # expect: FS101 "get_client()"


if __name__ == "__main__":
    with Pool(4) as pool:
        pool.map(process_file, ["a.json", "b.json"])
