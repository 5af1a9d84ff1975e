"""multiprocessing.Process target using a global MySQLdb connection."""
import multiprocessing as mp

import MySQLdb

db = MySQLdb.connect(host="db", user="app")


def child(token):
    cur = db.cursor()  # expect: FS101
    cur.execute("SELECT %s", (token,))


if __name__ == "__main__":
    procs = [mp.Process(target=child, args=(i,)) for i in range(4)]
    for p in procs:
        p.start()
