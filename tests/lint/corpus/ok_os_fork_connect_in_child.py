"""Safe twin: the child connects after fork; the parent keeps its own connection."""
import os

import psycopg


def main():
    conn = psycopg.connect("dbname=app")
    conn.execute("select 1")
    pid = os.fork()
    if pid == 0:
        conn = psycopg.connect("dbname=app")
        conn.execute("insert into t values (1)")
        os._exit(0)
    conn.execute("select 2")
