"""Two functions each call their pool `pool`: only the process pool's workers run in a child."""
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool

import psycopg2

conn = psycopg2.connect("dbname=app")


def query(n):
    return conn.cursor().execute("select %s", (n,))


def square(n):
    return n * n


def threaded():
    with ThreadPool(4) as pool:
        return pool.map(query, range(4))


def forked():
    with Pool(4) as pool:
        return pool.map(square, range(4))
