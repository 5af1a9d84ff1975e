"""The fix: the record holds what to connect with; each child connects."""
import multiprocessing as mp
from dataclasses import dataclass
from types import SimpleNamespace

import psycopg2
import pymysql


@dataclass(frozen=True)
class Context:
    dsn: str
    table: str


state = SimpleNamespace(db=None, retries=3)


def load(ctx, row):
    conn = psycopg2.connect(ctx.dsn)
    conn.cursor().execute(f"INSERT INTO {ctx.table} VALUES (%s)", (row,))


def init():
    state.db = pymysql.connect(host="db")


def ping(i):
    state.db.ping()


def main():
    ctx = Context(dsn="dbname=app", table="t")
    with mp.Pool(2) as pool:
        pool.starmap(load, [(ctx, row) for row in range(3)])
    with mp.Pool(2, initializer=init) as pool:
        pool.map(ping, range(2))


if __name__ == "__main__":
    main()
