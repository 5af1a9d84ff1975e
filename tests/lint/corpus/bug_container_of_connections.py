"""Connections kept in a dict (one per shard) at import; the workers look theirs up."""
import multiprocessing

import psycopg

SHARDS = {name: psycopg.connect(f"dbname={name}") for name in ("a", "b")}
EXTRA = []
EXTRA.append(psycopg.connect("dbname=c"))


def count(shard):
    conn = SHARDS[shard]  # expect: FS101 "psycopg.connect() made at line 6"
    return conn.execute("select count(*) from t").fetchone()


def first(_):
    return EXTRA[0].execute("select 1")  # expect: FS101 "psycopg.connect() made at line 8"


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        pool.map(count, ["a", "b"])
        pool.map(first, [0])
