"""The fix: the class is given what to connect with, and connects in the child (``run()``, or the
worker that makes the instance there)."""
import multiprocessing as mp

import pymysql


class Writer(mp.Process):
    def __init__(self, params, rows):
        super().__init__()
        self.params = params
        self.rows = rows

    def run(self):
        self.conn = pymysql.connect(**self.params)
        cur = self.conn.cursor()
        cur.executemany("INSERT INTO t VALUES (%s)", self.rows)


class Pipeline:
    def __init__(self, store):
        self.store = store

    def process(self, row):
        self.store.cursor().execute("INSERT INTO t VALUES (%s)", (row,))


def insert(row):
    conn = pymysql.connect(host="db", user="app")
    Pipeline(conn).process(row)


def main():
    params = {"host": "db", "user": "app"}
    with mp.Pool(2) as pool:
        pool.map(insert, range(3))
    for _ in range(2):
        Writer(params, [(1,), (2,)]).start()
    conn = pymysql.connect(**params)
    Pipeline(conn).process(0)  # the parent's own


if __name__ == "__main__":
    main()
