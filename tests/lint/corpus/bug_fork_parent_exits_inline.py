"""A daemon's fork written inline: the parent exits in the ``if``, and the child goes on below it
with the connection the parent opened."""
import os
import sys

import psycopg2


def serve():
    conn = psycopg2.connect("dbname=jobs")
    conn.cursor().execute("CREATE TABLE IF NOT EXISTS jobs (id int)")
    if os.fork():
        sys.exit(0)
    os.setsid()
    while True:
        conn.cursor().execute("SELECT id FROM jobs")  # expect: FS105 "before os.fork() at line 12"


if __name__ == "__main__":
    serve()
