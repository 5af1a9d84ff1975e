"""Safe twin: the connection is made under the main guard, which the forkserver does not run
(it imports the script as __mp_main__); the children make their own."""
import multiprocessing

import MySQLdb

conn = None


def task(i):
    return MySQLdb.connect(host="db").cursor().execute("select %s", (i,))


if __name__ == "__main__":
    conn = MySQLdb.connect(host="db")
    conn.ping()
    multiprocessing.set_start_method("forkserver")
    with multiprocessing.Pool(2) as pool:
        pool.map(task, range(4))
        p = multiprocessing.Process(target=lambda: conn.ping())
