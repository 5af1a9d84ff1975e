"""A module-level object whose ``connect()`` method (not ``__init__``) opens the connection: the
parent calls it and queries, then the pool's workers query through the same object."""

import multiprocessing

import psycopg2


class Database:
    def __init__(self, dsn):
        self.dsn = dsn
        self.conn = None

    def connect(self):
        self.conn = psycopg2.connect(self.dsn)

    def query(self, sql):
        with self.conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()


db = Database("dbname=app")


def work(n):
    return db.query(f"select {n}")  # expect: FS101 "once connect() connects it"


def main():
    db.connect()
    print(db.query("select 1"))
    with multiprocessing.Pool(4) as pool:
        print(pool.map(work, range(8)))


if __name__ == "__main__":
    main()
