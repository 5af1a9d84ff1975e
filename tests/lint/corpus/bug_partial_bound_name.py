"""functools.partial bound to a name first, then given to the pool."""
from functools import partial
from multiprocessing import Pool

import oracledb


def load(conn, n):
    return n


def main():
    pool = oracledb.create_pool(user="app", dsn="db/xe", min=1, max=4)
    job = partial(load, pool)  # expect: FS102 "oracledb.create_pool() made at line 13"
    with Pool(2) as workers:
        workers.map(job, range(4))
