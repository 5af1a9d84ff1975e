"""Getters that keep one client per process: ``@lru_cache``, a class that keeps its instance in
``cls._instance``, a class-level registry. Once the parent has called them, a forked child's call
returns the parent's client."""
import functools
import multiprocessing as mp

import psycopg2
import pymysql
from pymongo import MongoClient


@functools.lru_cache(maxsize=8)
def get_db():
    return psycopg2.connect("dbname=app")


class Database:
    _instance = None

    @classmethod
    def instance(cls):
        if cls._instance is None:
            cls._instance = pymysql.connect(host="db")
        return cls._instance


class Clients:
    by_host = {}

    @classmethod
    def get(cls, host):
        if host not in cls.by_host:
            cls.by_host[host] = MongoClient(host)
        return cls.by_host[host]


def work(n):
    get_db().cursor().execute("SELECT %s", (n,))  # expect: FS101 "cached by @lru_cache"
    Database.instance().ping()  # expect: FS101 "kept as Database._instance by instance()"
    Clients.get("mongodb://db").app.jobs.find_one()  # expect: FS101 "kept as Clients.by_host by get()"


if __name__ == "__main__":
    get_db().cursor().execute("CREATE TABLE IF NOT EXISTS t (n int)")
    Database.instance().ping()
    Clients.get("mongodb://db").admin.command("ping")
    with mp.Pool(2) as pool:
        pool.map(work, range(4))
