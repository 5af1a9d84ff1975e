"""Safe twin of bug_alias_imports: forksafe.connect is per process."""
import multiprocessing

import MySQLdb

import forksafe

db = forksafe.connect(MySQLdb.connect, host="db")


def work(n):
    return db.cursor().execute("select %s", (n,))


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        pool.map(work, range(4))
