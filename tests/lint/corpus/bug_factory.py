"""A module function that returns a connection, called at import time; worker is a lambda target."""
import multiprocessing

import psycopg


def make_conn():
    return psycopg.connect("dbname=app")


CONN = make_conn()
CUR = CONN.cursor()

if __name__ == "__main__":
    p = multiprocessing.Process(target=lambda: CUR.execute("select 1"))  # expect: FS101
    p.start()
