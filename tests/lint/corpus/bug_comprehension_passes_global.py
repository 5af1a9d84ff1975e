"""The comprehension repeats the global collection itself: each child gets the parent's client."""
from multiprocessing import Pool

import pymongo

client = pymongo.MongoClient("localhost")
market = client.futures.market


def save(coll):
    return coll.count_documents({})


if __name__ == "__main__":
    with Pool() as pool:
        pool.map(save, [market for _ in range(4)])  # expect: FS102 "MongoDB client 'market'" "Pool.map"
