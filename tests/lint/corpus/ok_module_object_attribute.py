"""The fix: each child hangs its own connections on the module-level objects (the pool initializer)."""
import multiprocessing as mp

import psycopg2
from flask import Flask

app = Flask(__name__)


class Registry:
    pass


registry = Registry()


def setup():
    app.db = psycopg2.connect("dbname=app")
    registry.events = psycopg2.connect("dbname=events")


def work(n):
    with app.db.cursor() as cur:
        cur.execute("SELECT %s", (n,))
    registry.events.commit()


if __name__ == "__main__":
    with mp.Pool(2, initializer=setup) as pool:
        pool.map(work, range(4))
