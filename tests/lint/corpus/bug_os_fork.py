"""os.fork() with the parent's connection used in the child branch."""
import os

import psycopg


def main():
    conn = psycopg.connect("dbname=app")
    conn.execute("select 1")
    for _ in range(4):
        pid = os.fork()
        if pid == 0:
            conn.execute("insert into t values (1)")  # expect: FS105
            os._exit(0)
    conn.execute("select 2")
