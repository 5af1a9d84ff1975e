"""A custom RQ worker class (rq worker -w bug_rq_custom_worker.PgWorker) connects in the worker process
and keeps the connection in a module list; every work horse it forks reads the parent's."""
import psycopg2
from rq import Worker

connections = []


class PgWorker(Worker):
    def work(self, *args, **kwargs):
        connections.append(psycopg2.connect("dbname=app"))
        return super().work(*args, **kwargs)


def get_connection():
    return connections[0]  # expect: FS104 "returned by get_connection()"


def count_rows(table):
    with get_connection().cursor() as cur:
        cur.execute(f"select count(*) from {table}")
        return cur.fetchone()


def enqueue(queue):
    queue.enqueue(count_rows, "events")
