"""Suppressing a different code does not hide this one."""
import multiprocessing

import psycopg2

conn = psycopg2.connect("dbname=app")


def work(n):
    conn.cursor()  # forksafe: ignore[FS104]  # expect: FS101


if __name__ == "__main__":
    multiprocessing.Pool(2).map(work, range(3))
