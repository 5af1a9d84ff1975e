"""Safe twin: the custom worker keeps only the DSN; each job (in its work horse) connects itself."""
import psycopg2
from rq import Worker

settings = {}


class PgWorker(Worker):
    def work(self, *args, **kwargs):
        settings["dsn"] = "dbname=app"
        return super().work(*args, **kwargs)


def count_rows(table):
    with psycopg2.connect(settings.get("dsn", "dbname=app")) as conn, conn.cursor() as cur:
        cur.execute(f"select count(*) from {table}")
        return cur.fetchone()


def enqueue(queue):
    queue.enqueue(count_rows, "events")
