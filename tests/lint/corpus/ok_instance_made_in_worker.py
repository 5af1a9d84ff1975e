"""Safe twin: each worker builds its own repository (in the initializer) and so its own connection."""
import multiprocessing

import MySQLdb


class Repo:
    def __init__(self, host):
        self.conn = MySQLdb.connect(host=host)

    def save(self, row):
        self.conn.cursor().execute("insert into t values (%s)", (row,))


repo = None


def init():
    global repo
    repo = Repo("db")


def work(row):
    repo.save(row)


if __name__ == "__main__":
    with multiprocessing.Pool(2, initializer=init) as pool:
        pool.map(work, range(10))
