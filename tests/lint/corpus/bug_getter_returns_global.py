"""A getter returns the module's connection; the worker only ever calls the getter."""
from multiprocessing import Pool

import psycopg2

_conn = psycopg2.connect("dbname=app")


def get_db():
    return _conn  # expect: FS101 "returned by get_db()" "called in worker() at line 14" "Pool.map at line 20"


def worker(n):
    cur = get_db().cursor()
    return cur.execute("select %s", (n,))


def main():
    with Pool(4) as pool:
        pool.map(worker, range(8))
