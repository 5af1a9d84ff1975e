"""Counts rows in worker processes, after the parent built the app and checked the database."""
from multiprocessing import Pool

from web.app import create_app
from web.extensions import db


def count(table):
    return db.session.execute(db.text(f"select count(*) from {table}")).scalar()  # expect: FS101 "db 'db'"


def main():
    app = create_app()
    app.app_context().push()
    db.session.execute(db.text("select 1"))
    with Pool(4) as pool:
        print(pool.map(count, ["users", "orders"]))


if __name__ == "__main__":
    main()
