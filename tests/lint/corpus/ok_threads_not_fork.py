"""Threads share the process: ThreadPool / ThreadPoolExecutor are not forks (other rules apply)."""
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.pool import ThreadPool

DB = sqlite3.connect("/tmp/a.db", check_same_thread=False)


def q(n):
    return DB.execute("select ?", (n,)).fetchone()


with ThreadPool(2) as tp:
    tp.map(q, range(3))
with ThreadPoolExecutor(2) as ex:
    ex.submit(q, 1)
