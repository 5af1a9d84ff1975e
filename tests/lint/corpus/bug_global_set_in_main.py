"""The parent sets a global connection inside main(), then forks workers that use it."""
from multiprocessing import Pool

import psycopg2

conn = None


def work(n):
    return conn.cursor().execute("select %s", (n,))  # expect: FS101


def main():
    global conn
    conn = psycopg2.connect("dbname=app")
    with Pool() as pool:
        pool.map(work, range(8))


if __name__ == "__main__":
    main()
