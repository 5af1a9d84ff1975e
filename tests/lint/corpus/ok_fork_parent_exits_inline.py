"""Safe twin: the parent exits in the ``if`` before anything connects; the daemon child connects
below it, on its own socket."""
import os
import sys

import psycopg2


def serve():
    if os.fork():
        sys.exit(0)
    os.setsid()
    conn = psycopg2.connect("dbname=jobs")
    conn.cursor().execute("CREATE TABLE IF NOT EXISTS jobs (id int)")
    while True:
        conn.cursor().execute("SELECT id FROM jobs")


if __name__ == "__main__":
    serve()
