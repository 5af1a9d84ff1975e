"""The parent lists the work with a session (which sets the factory), then the workers reuse it."""
import multiprocessing

import shop.db


@shop.db.with_session
def list_files(session):
    return [row[0] for row in session.execute("select name from files")]


@shop.db.with_session
def store(session, name):
    session.execute("insert into done values (:n)", {"n": name})


def load_file(name):
    store(name)  # expect: FS101 "set by the parent before the fork" "shop/db.py:13"


def main():
    with multiprocessing.Pool(4) as pool:
        pool.map(load_file, list_files())
