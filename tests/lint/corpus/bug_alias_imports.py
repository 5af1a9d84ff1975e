"""Aliased imports: `import pymysql as pm` and `from psycopg2 import connect as pgc`."""
import multiprocessing as mp

import pymysql as pm
from psycopg2 import connect as pgc

my = pm.connect(host="db")
pg = pgc("dbname=app")


def work(n):
    my.ping()  # expect: FS101
    return pg.cursor()  # expect: FS101


if __name__ == "__main__":
    ctx = mp.get_context("fork")
    with ctx.Pool(2) as pool:
        pool.map_async(work, range(4)).get()
