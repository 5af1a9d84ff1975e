"""Safe twin: the partial carries the DSN; each call connects in the child."""
from functools import partial
from multiprocessing import Pool

import oracledb


def load(dsn, n):
    with oracledb.connect(user="app", dsn=dsn) as conn:
        return conn.cursor().execute("select :n from dual", n=n).fetchone()


def main():
    job = partial(load, "db/xe")
    with Pool(2) as workers:
        workers.map(job, range(4))
