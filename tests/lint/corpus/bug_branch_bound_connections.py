"""One branch fills the dict with connections and the other with ``None``: either may run, so the
element handed to each ``Process`` may be the parent's connection."""
import multiprocessing

import psycopg2


def load(conn):
    if conn is None:
        conn = psycopg2.connect("dbname=hipparchia")
    conn.cursor().execute("SELECT 1")


def reload(workers, share):
    if share:
        connections = {i: psycopg2.connect("dbname=hipparchia") for i in range(workers)}
    else:
        connections = {i: None for i in range(workers)}
    jobs = [multiprocessing.Process(target=load, args=(connections[i],))  # expect: FS102 "'connections[i]'"
            for i in range(workers)]
    for job in jobs:
        job.start()
