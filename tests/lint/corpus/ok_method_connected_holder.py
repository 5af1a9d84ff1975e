"""A module-level object whose ``connect()`` method opens the connection: the parent never calls it;
each pool worker connects in its initializer, so every worker queries over its own."""

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
    return db.query(f"select {n}")


def main():
    # the parent never connects: each worker does, in its initializer
    with multiprocessing.Pool(4, initializer=db.connect) as pool:
        print(pool.map(work, range(8)))


if __name__ == "__main__":
    main()
