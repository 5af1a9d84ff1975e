"""Safe twin: the dict holds DSNs; each worker connects to its shard."""
import multiprocessing

import psycopg

SHARDS = {name: f"dbname={name}" for name in ("a", "b")}


def count(shard):
    with psycopg.connect(SHARDS[shard]) as conn:
        return conn.execute("select count(*) from t").fetchone()


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        pool.map(count, ["a", "b"])
