"""The fix: the children get the DSN that came back beside the connection, and connect themselves."""
import multiprocessing

import psycopg2


def open_db(dsn):
    conn = psycopg2.connect(dsn)
    return conn, dsn


def count(dsn, table):
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {table}")
        return cur.fetchone()[0]


if __name__ == "__main__":
    conn, dsn = open_db("dbname=shop")
    with multiprocessing.Pool(4) as pool:
        pool.starmap(count, [(dsn, t) for t in ("users", "orders")])
