"""Safe: the Process object's run() is called directly, so the target runs in this process; nothing
is forked (start() is never called)."""
from multiprocessing import Process

import psycopg

conn = psycopg.connect("dbname=app")


def worker(conn, n):
    conn.execute("select %s", (n,))


for n in range(3):
    p = Process(target=worker, args=(conn, n))
    p.run()
