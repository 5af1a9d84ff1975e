"""A class-based Celery task: its instance is made in the worker's parent, so is self.conn."""
import psycopg2
from celery import Celery, Task

app = Celery("tasks", broker="redis://localhost")
CONFIG_DB = psycopg2.connect("dbname=config")


class Sync(Task):
    name = "sync"

    def __init__(self):
        self.conn = psycopg2.connect("dbname=app")

    def run(self, n):
        self.conn.cursor().execute("select %s", (n,))  # expect: FS104 "made in Sync.__init__"
        return CONFIG_DB.cursor()  # expect: FS104 "psycopg2.connect() made at line 6"


app.register_task(Sync())
