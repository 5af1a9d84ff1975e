"""A connection hung on a module-level object (``app.db = ...``, here by a setup function the module
runs at import) is the parent's in every child that reads it there."""
import multiprocessing as mp

import psycopg2
from flask import Flask

app = Flask(__name__)
app.db = psycopg2.connect("dbname=app")


class Registry:
    pass


registry = Registry()


def setup():
    registry.events = psycopg2.connect("dbname=events")


setup()


def work(n):
    with app.db.cursor() as cur:  # expect: FS101 "'app.db' (psycopg2.connect() made at line 9)"
        cur.execute("SELECT %s", (n,))
    registry.events.commit()  # expect: FS101 "'registry.events' (psycopg2.connect() made at line 20)"


if __name__ == "__main__":
    with mp.Pool(2) as pool:
        pool.map(work, range(4))
