"""A nested target closing over the parent function's connection (fork copies it)."""
import multiprocessing
import sqlite3


def main():
    conn = sqlite3.connect("/tmp/a.db")

    def child():
        conn.execute("insert into t values (1)")  # expect: FS101

    p = multiprocessing.Process(target=child)
    p.start()
    p.join()
