"""Safe twin: the Process target connects itself."""
import multiprocessing as mp

import MySQLdb


def child(token):
    db = MySQLdb.connect(host="db", user="app")
    cur = db.cursor()
    cur.execute("SELECT %s", (token,))


if __name__ == "__main__":
    procs = [mp.Process(target=child, args=(i,)) for i in range(4)]
    for p in procs:
        p.start()
