"""Safe twin: a lazily opened global, opened only by the workers (each child its own)."""
from multiprocessing import Pool

import psycopg2

_conn = None


def get_conn():
    global _conn
    if _conn is None:
        _conn = psycopg2.connect("dbname=app")
    return _conn


def work(n):
    return get_conn().cursor().execute("select %s", (n,))


def main():
    with Pool() as pool:
        pool.map(work, range(8))
