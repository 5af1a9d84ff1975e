"""ProcessPoolExecutor.submit with a worker using a module-level sqlite3 connection."""
import sqlite3
from concurrent.futures import ProcessPoolExecutor

DB = sqlite3.connect("/tmp/app.db")


def count(table):
    return DB.execute(f"select count(*) from {table}").fetchone()  # expect: FS101


def main():
    with ProcessPoolExecutor(max_workers=2) as ex:
        futures = [ex.submit(count, t) for t in ("a", "b")]
        return [f.result() for f in futures]
