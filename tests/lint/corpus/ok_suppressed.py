"""A deliberate, reviewed use: suppressed inline."""
import multiprocessing

import psycopg2

conn = psycopg2.connect("dbname=app")


def work(n):
    conn.cursor()  # forksafe: ignore[FS101]
    return conn.closed  # forksafe: ignore


if __name__ == "__main__":
    multiprocessing.Pool(2).map(work, range(3))
