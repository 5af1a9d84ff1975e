"""Safe twin: the getter connects on each call, so the worker's connection is its own."""
from multiprocessing import Pool

import psycopg2


def get_db():
    return psycopg2.connect("dbname=app")


def worker(n):
    cur = get_db().cursor()
    return cur.execute("select %s", (n,))


def main():
    with Pool(4) as pool:
        pool.map(worker, range(8))
