"""The fix: each worker first drops the inherited sockets (``dispose(close=False)`` in the
initializer), so ``db.Session()`` and ``db.engine`` open connections of its own."""
from multiprocessing import Pool

import stats.db as db


def init():
    db.engine.dispose(close=False)


def count(table):
    session = db.Session()
    return session.execute(f"select count(*) from {table}").scalar()


def vacuum(table):
    with db.engine.connect() as conn:
        conn.execute(f"vacuum {table}")


def main():
    tables = [row[0] for row in db.Session().execute("select name from tables")]
    with Pool(initializer=init) as pool:
        pool.map(count, tables)
        pool.map(vacuum, tables)
