"""Counts rows in worker processes; each worker builds the app (and its engine) in its initializer."""
from multiprocessing import Pool

from web.app import create_app
from web.extensions import db


def init_worker():
    app = create_app()
    app.app_context().push()


def count(table):
    return db.session.execute(db.text(f"select count(*) from {table}")).scalar()


def main():
    with Pool(4, initializer=init_worker) as pool:
        print(pool.map(count, ["users", "orders"]))


if __name__ == "__main__":
    main()
