"""A repository object made at import holds the connection its __init__ opened; workers call it."""
import multiprocessing

import MySQLdb


class Repo:
    def __init__(self, host):
        self.conn = MySQLdb.connect(host=host)

    def save(self, row):
        self.conn.cursor().execute("insert into t values (%s)", (row,))


repo = Repo("db")


def work(row):
    repo.save(row)  # expect: FS101 "held as .conn by Repo() made at line 15" "made at line 9"


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        pool.map(work, range(10))
