"""The workers reach another module's engine through the module object (``import stats.db as
db``): ``db.Session()`` and ``db.engine`` are the parent's."""
from multiprocessing import Pool

import stats.db as db


def count(table):
    session = db.Session()  # expect: FS101 "'db.Session'" "sessionmaker(bind=engine)"
    return session.execute(f"select count(*) from {table}").scalar()


def vacuum(table):
    with db.engine.connect() as conn:  # expect: FS101 "'db.engine'"
        conn.execute(f"vacuum {table}")


def main():
    tables = [row[0] for row in db.Session().execute("select name from tables")]
    with Pool() as pool:
        pool.map(count, tables)
        pool.map(vacuum, tables)
