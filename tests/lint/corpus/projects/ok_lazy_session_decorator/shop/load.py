"""Safe twin: each worker clears the inherited factory first (so it makes its own engine)."""
import multiprocessing

import shop.db


@shop.db.with_session
def list_files(session):
    return [row[0] for row in session.execute("select name from files")]


@shop.db.with_session
def store(session, name):
    session.execute("insert into done values (:n)", {"n": name})


def load_file(name):
    store(name)


def reset():
    shop.db._factory = None


def main():
    with multiprocessing.Pool(4, initializer=reset) as pool:
        pool.map(load_file, list_files())
