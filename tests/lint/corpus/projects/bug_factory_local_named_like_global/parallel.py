"""The getter returns the import-time global client (no new one)."""
from multiprocessing import Pool

from definitions import get_client


def process(a):
    _, raw = get_client()  # expect: FS101 "returned by definitions.get_client()"
    raw.insert_one({"a": a})


if __name__ == "__main__":
    with Pool() as pool:
        pool.map(process, range(8))
