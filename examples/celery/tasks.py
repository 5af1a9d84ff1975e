"""Celery with a module-level MySQL connection, made fork-safe with one line.

The worker's parent process imports this module (and so runs ``setup()`` on the connection)
before its prefork pool forks the children that run the tasks. With ``MySQLdb.connect(...)``
the four children would share the parent's one MySQL session and read each other's replies;
with ``forksafe.connect(MySQLdb.connect, ...)`` each child opens its own at first use.

Run (see docs/engines/celery.md)::

    export REDIS_URL=redis://127.0.0.1:6379/0
    export MYSQL_HOST=127.0.0.1 MYSQL_PORT=3306 MYSQL_USER=app MYSQL_PASSWORD=... MYSQL_DATABASE=app
    celery -A tasks worker -P prefork -c 4
    python send.py 100          # in another shell
"""

from __future__ import annotations

import os

import MySQLdb
from celery import Celery

import forksafe

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
app = Celery("tasks", broker=REDIS_URL, backend=REDIS_URL)
app.conf.broker_connection_retry_on_startup = True

# The one line: forksafe.connect(MySQLdb.connect, ...) where the app had MySQLdb.connect(...).
db = forksafe.connect(
    MySQLdb.connect,
    host=os.environ.get("MYSQL_HOST", "127.0.0.1"),
    port=int(os.environ.get("MYSQL_PORT", "3306")),
    user=os.environ.get("MYSQL_USER", "app"),
    passwd=os.environ.get("MYSQL_PASSWORD", ""),
    db=os.environ.get("MYSQL_DATABASE", "app"),
)


def setup() -> None:
    cur = db.cursor()
    cur.execute("CREATE TABLE IF NOT EXISTS events (id INT AUTO_INCREMENT PRIMARY KEY, what TEXT, pid INT)")
    cur.close()
    db.commit()


setup()  # at import: in the worker's parent, before the pool forks


@app.task
def record(what: str) -> int:
    """Insert one event; return the pid of the pool process that ran it."""
    cur = db.cursor()
    cur.execute("INSERT INTO events (what, pid) VALUES (%s, %s)", (what, os.getpid()))
    cur.close()
    db.commit()
    return os.getpid()
