"""Safe twin: the worker opens its own connection (same name as a module global, shadowed)."""
from multiprocessing import Pool

import pymysql

conn = pymysql.connect(host="db")  # used by the parent only


def work(n):
    conn = pymysql.connect(host="db")
    with conn.cursor() as cur:
        cur.execute("SELECT %s", (n,))
        return cur.fetchone()


def main():
    conn.ping()
    with Pool(2) as p:
        p.imap_unordered(work, range(3))


main()
