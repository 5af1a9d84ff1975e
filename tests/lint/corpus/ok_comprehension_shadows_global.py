"""Safe: the comprehension's ``market`` is each row of the query, not the global collection of the
same name; the children get plain documents."""
from multiprocessing import Pool

import pymongo

client = pymongo.MongoClient("localhost")
market = client.futures.market


def save(market):
    return {"variety": market["variety"], "date": market["date"]}


if __name__ == "__main__":
    with Pool() as pool:
        pool.map(save, [market for market in market.find()])
