"""RQ jobs with a module-level PostgreSQL connection (psycopg 3), made fork-safe with one line.

``worker.py`` imports this module and then runs an RQ worker, which forks a work horse for every
job. With ``psycopg.connect(...)`` every horse would reuse the parent's server session: the second
job that runs a statement five times fails with ``prepared statement "_pg3_0" already exists``
(psycopg prepares it on the server, in the session all horses share) and, as the transaction is
left aborted, every job after it fails too. With ``forksafe.connect`` each horse has its own.

Run (see docs/engines/rq.md)::

    export REDIS_URL=redis://127.0.0.1:6379/0 PG_DSN="host=127.0.0.1 dbname=app user=app password=..."
    python worker.py            # the worker (burst: exits when the queue is empty)
    python enqueue.py 100       # before or while it runs
"""

from __future__ import annotations

import os

import psycopg

import forksafe

# The one line: forksafe.connect(psycopg.connect, ...) where the app had psycopg.connect(...).
db = forksafe.connect(psycopg.connect, os.environ.get("PG_DSN", "dbname=app"))

with db.cursor() as cur:  # used at import, in the worker's parent
    cur.execute("CREATE TABLE IF NOT EXISTS rq_events (id SERIAL PRIMARY KEY, what TEXT, pid INT)")
db.commit()


def record(what: str, checks: int = 6) -> int:
    with db.cursor() as cur:
        for _ in range(checks):  # the same statement in a loop: psycopg prepares it after 5 runs
            cur.execute("SELECT %s::text", (what,))
            assert cur.fetchone() == (what,)
        cur.execute("INSERT INTO rq_events (what, pid) VALUES (%s, %s)", (what, os.getpid()))
    db.commit()
    return os.getpid()
