"""Safe twin: each Pool child connects once, in the initializer."""
import multiprocessing

import psycopg2

conn = None


def init():
    global conn
    conn = psycopg2.connect("dbname=app")


def work(n):
    with conn.cursor() as cur:
        cur.execute("SELECT %s", (n,))
        return cur.fetchone()


if __name__ == "__main__":
    with multiprocessing.Pool(4, initializer=init) as pool:
        print(pool.map(work, range(10)))
