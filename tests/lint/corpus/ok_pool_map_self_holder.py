"""Safe twin: the instance keeps only the DSN, and each worker opens its own connection."""
from multiprocessing import Pool, Process

import psycopg2


def unwrap_insert(arg):
    return Loader.insert(*arg)


def insert_one(loader, row):
    loader.insert(row)


class Loader:
    def __init__(self, dsn):
        self.dsn = dsn

    def load(self, rows):
        with Pool(4) as pool:
            pool.map(unwrap_insert, [(self, row) for row in rows])
        Process(target=insert_one, args=(self, rows[0])).start()

    def insert(self, row):
        with psycopg2.connect(self.dsn) as conn:
            conn.cursor().execute("insert into rows values (%s)", (row,))


if __name__ == "__main__":
    Loader("dbname=rows").load([1, 2, 3])
