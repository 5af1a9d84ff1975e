"""Safe twin: the nested helper closes over the worker's own connection."""
import multiprocessing
import sqlite3


def child():
    conn = sqlite3.connect("/tmp/a.db")

    def insert(v):
        conn.execute("insert into t values (?)", (v,))

    insert(1)


def main():
    p = multiprocessing.Process(target=child)
    p.start()
    p.join()
