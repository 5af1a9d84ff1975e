"""Safe twin: pass a path/DSN to the task; connect inside it."""
import sqlite3

from celery import Celery

app = Celery("t")
DB_PATH = "/tmp/a.db"
conn = sqlite3.connect(DB_PATH)  # parent-only use


@app.task
def report(path, n):
    return sqlite3.connect(path).execute("select ?", (n,)).fetchone()


def go():
    conn.execute("select 1")
    report.delay(DB_PATH, 1)
