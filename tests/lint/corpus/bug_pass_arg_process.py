"""A connection made in the parent function, passed to the child as an argument."""
from multiprocessing import Process

import psycopg2 as pg


def child(conn, n):
    conn.cursor().execute("select %s", (n,))


def main():
    conn = pg.connect("dbname=app")
    ps = [Process(target=child, args=(conn, n)) for n in range(3)]  # expect: FS102
    for p in ps:
        p.start()
