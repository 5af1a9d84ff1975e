"""forkserver: the server imports the main module once and forks every child from itself, so an
import-time connection is shared by all children (a parent-function one is not: see main())."""
import multiprocessing

import MySQLdb

conn = MySQLdb.connect(host="db")
local_conn = None


def task(i):
    cur = conn.cursor()  # expect: FS101
    return cur.execute("select %s", (i,))


def uses_parent_global(i):
    return local_conn.cursor()  # only set in main(), which the forkserver never runs


def main():
    global local_conn
    local_conn = MySQLdb.connect(host="db")
    ctx = multiprocessing.get_context("forkserver")
    with ctx.Pool(2) as pool:
        pool.map(task, range(4))
        pool.map(uses_parent_global, range(4))


if __name__ == "__main__":
    main()
