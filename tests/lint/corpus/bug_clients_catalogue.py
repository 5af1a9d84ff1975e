"""Clients beyond the DB-API drivers, made at import and used in a forked worker (the HTTP pools after
the parent's own first request: they connect on it)."""
import multiprocessing

import cx_Oracle
import httpx
import motor.motor_asyncio
import redis.asyncio
import urllib3
from aiomysql import create_pool

ORACLE = cx_Oracle.SessionPool("app", "pw", "db/xe", min=1, max=2)
HTTP = urllib3.PoolManager()
API = httpx.Client(base_url="https://api")
CACHE = redis.asyncio.Redis()
MONGO = motor.motor_asyncio.AsyncIOMotorClient("mongodb://db")
MYSQL = create_pool(host="db")
HTTP.request("GET", "https://api/health")
API.get("/health")


def work(n):
    ORACLE.acquire()  # expect: FS101 "cx_Oracle.SessionPool() made at line 12"
    HTTP.request("GET", "https://api/x")  # expect: FS101 "urllib3.PoolManager() made at line 13"
    API.get("/x")  # expect: FS101 "httpx.Client() made at line 14"
    CACHE.get("k")  # expect: FS101 "redis.asyncio.Redis() made at line 15"
    MONGO.app.things.find_one()  # expect: FS101 "motor.motor_asyncio.AsyncIOMotorClient() made at line 16"
    return MYSQL  # expect: FS101 "aiomysql.create_pool() made at line 17"


if __name__ == "__main__":
    multiprocessing.Process(target=work, args=(1,)).start()
