"""A helper returns the connection with its DSN; unpacking binds the connection, which is then handed
to the pool's children."""
import multiprocessing

import psycopg2


def open_db(dsn):
    conn = psycopg2.connect(dsn)
    return conn, dsn


def count(conn, table):
    with conn.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {table}")
        return cur.fetchone()[0]


if __name__ == "__main__":
    conn, dsn = open_db("dbname=shop")
    with multiprocessing.Pool(4) as pool:
        pool.starmap(count, [(conn, t) for t in ("users", "orders")])  # expect: FS102 "returned by open_db()"
