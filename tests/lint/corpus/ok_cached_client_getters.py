"""The safe shape: the parent never calls the caching getters before forking, so each child's first
call makes that child's own client (and the parent's work is done in a child too)."""
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
    get_db().cursor().execute("SELECT %s", (n,))
    Database.instance().ping()
    Clients.get("mongodb://db").app.jobs.find_one()


if __name__ == "__main__":
    with mp.Pool(2) as pool:
        pool.map(work, range(4))
