"""A record built around a client holds it: a dataclass, a NamedTuple, ``SimpleNamespace(db=...)``."""
import multiprocessing as mp
from dataclasses import dataclass
from types import SimpleNamespace
from typing import NamedTuple

import psycopg2
import pymysql


@dataclass(frozen=True)
class Context:
    conn: object
    table: str


class Target(NamedTuple):
    db: object
    name: str


state = SimpleNamespace(db=pymysql.connect(host="db"), retries=3)


def load(ctx, row):
    ctx.conn.cursor().execute(f"INSERT INTO {ctx.table} VALUES (%s)", (row,))


def ping(i):
    state.db.ping()  # expect: FS101 "SimpleNamespace(db=pymysql.connect(host='db'), retries=3) at line 22"


def main():
    ctx = Context(conn=psycopg2.connect("dbname=app"), table="t")
    target = Target(pymysql.connect(host="db"), "users")
    with mp.Pool(2) as pool:
        pool.starmap(load, [(ctx, row) for row in range(3)])  # expect: FS102 "Context(conn=psycopg2.connect"
        pool.apply(print, (target,))  # expect: FS102 "Target(pymysql.connect"
        pool.map(ping, range(2))


if __name__ == "__main__":
    main()
