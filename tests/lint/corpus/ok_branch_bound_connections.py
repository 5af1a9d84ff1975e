"""The fix: every child connects; the parent hands over only the DSN."""
import multiprocessing

import psycopg2

DSN = "dbname=hipparchia"


def load(dsn):
    conn = psycopg2.connect(dsn)
    conn.cursor().execute("SELECT 1")


def reload(workers, share):
    if share:
        dsns = {i: DSN for i in range(workers)}
    else:
        dsns = {i: DSN + " application_name=loader" for i in range(workers)}
    jobs = [multiprocessing.Process(target=load, args=(dsns[i],)) for i in range(workers)]
    for job in jobs:
        job.start()
