"""Safe twin: pass the DSN; the child connects."""
from multiprocessing import Process

import psycopg2 as pg

DSN = "dbname=app"


def child(dsn, n):
    pg.connect(dsn).cursor().execute("select %s", (n,))


def main():
    conn = pg.connect(DSN)
    conn.cursor().execute("select 1")
    ps = [Process(target=child, args=(DSN, n)) for n in range(3)]
    for p in ps:
        p.start()
