"""Safe twin: the same clients made inside the worker; a lazy MongoClient (connect=False) and the
sync redis client (it resets its pool by pid) may be made at import."""
import multiprocessing

import cx_Oracle
import httpx
import pymongo
import redis
import urllib3

MONGO = pymongo.MongoClient("mongodb://db", connect=False)
CACHE = redis.Redis()


def work(n):
    oracle = cx_Oracle.SessionPool("app", "pw", "db/xe", min=1, max=2)
    http = urllib3.PoolManager()
    with httpx.Client(base_url="https://api") as api:
        api.get("/x")
    http.request("GET", "https://api/x")
    CACHE.get("k")
    MONGO.app.things.find_one()
    return oracle.acquire()


if __name__ == "__main__":
    multiprocessing.Process(target=work, args=(1,)).start()
