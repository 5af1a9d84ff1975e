"""Safe: the worker calls the factory, whose local ``client`` is a new client (not the global)."""
from multiprocessing import Pool

from definitions import make_new_client


def process(a):
    client, raw = make_new_client()
    raw.insert_one({"a": a})
    client.close()


if __name__ == "__main__":
    with Pool() as pool:
        pool.map(process, range(8))
