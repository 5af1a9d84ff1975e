"""A method hands its own instance to pool workers (the ``unwrap`` recipe for calling methods in a
``Pool``): ``self`` is the object the parent made, and its connection crosses with it."""
from multiprocessing import Pool, Process

import psycopg2


def unwrap_insert(arg):
    return Loader.insert(*arg)


def insert_one(loader, row):
    loader.insert(row)


class Loader:
    def __init__(self, dsn):
        self.conn = psycopg2.connect(dsn)

    def load(self, rows):
        with Pool(4) as pool:
            pool.map(unwrap_insert, [(self, row) for row in rows])  # expect: FS102 "held as .conn by self"
        Process(target=insert_one, args=(self, rows[0])).start()  # expect: FS102 "Loader"

    def insert(self, row):
        self.conn.cursor().execute("insert into rows values (%s)", (row,))


if __name__ == "__main__":
    Loader("dbname=rows").load([1, 2, 3])
