"""RQ jobs sharing one module-level connection, used by the worker's parent (``rq_worker.py``).

Each job asks the database to echo its own token a few times, as a job that runs the same
statement in a loop does, then inserts its row.
"""

from __future__ import annotations

import appdb

conn = appdb.connect()
appdb.use(conn)


def insert(token: str) -> int:
    return appdb.insert_checked(conn, token, checks=6)
