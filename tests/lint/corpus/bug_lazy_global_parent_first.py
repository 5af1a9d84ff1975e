"""A lazily-initialised global: the parent opens it (to read the work list), the workers reuse it."""
from multiprocessing import Pool

import pymysql

_db = None


def db():
    global _db
    if _db is None:
        _db = pymysql.connect(host="db")
    return _db  # expect: FS101 "returned by db()" "called in count() at line 17"


def count(table):
    with db().cursor() as cur:
        cur.execute(f"select count(*) from {table}")
        return cur.fetchone()


def main():
    with db().cursor() as cur:
        cur.execute("show tables")
        tables = [row[0] for row in cur.fetchall()]
    with Pool(4) as pool:
        return pool.map(count, tables)
