"""A module-level connection used by Pool workers: every child shares the parent's socket."""
import multiprocessing

import psycopg2

conn = psycopg2.connect("dbname=app")


def work(n):
    with conn.cursor() as cur:  # expect: FS101
        cur.execute("SELECT %s", (n,))
        return cur.fetchone()


if __name__ == "__main__":
    with multiprocessing.Pool(4) as pool:
        print(pool.map(work, range(10)))
