"""Safe twin: ProcessPoolExecutor(initializer=...) connects in each child."""
import sqlite3
from concurrent.futures import ProcessPoolExecutor

DB = None


def setup():
    global DB
    DB = sqlite3.connect("/tmp/app.db")


def count(table):
    return DB.execute(f"select count(*) from {table}").fetchone()


def main():
    with ProcessPoolExecutor(max_workers=2, initializer=setup) as ex:
        return list(ex.map(count, ("a", "b")))
