"""Safe twin: the class-based task connects on first run, in the pool child."""
import psycopg2
from celery import Celery, Task

app = Celery("tasks", broker="redis://localhost")


class Sync(Task):
    name = "sync"
    _conn = None

    @property
    def conn(self):
        if self._conn is None:
            self._conn = psycopg2.connect("dbname=app")
        return self._conn

    def run(self, n):
        self.conn.cursor().execute("select %s", (n,))


app.register_task(Sync())
