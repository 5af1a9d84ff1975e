"""forksafe connections with multiprocessing under fork, forkserver and spawn.

A forksafe connection pickles as its recipe (the connect function and its arguments), so it can
be handed to workers of any start method: as a module global inherited through fork, as an
initializer argument, or as a task argument. Each worker process ends up with its own session.

Run (see docs/engines/multiprocessing.md)::

    export PG_DSN="host=127.0.0.1 dbname=app user=app password=..."
    python pool_demo.py spawn        # or fork, forkserver
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import psycopg2

import forksafe

db: Any = None  # this process's connection: set by init() in each worker


def init(conn: Any) -> None:
    global db
    db = conn


def backend_pid(_: int) -> tuple[int, int]:
    """(worker pid, server backend pid): one backend per worker, never the parent's."""
    with db.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
    db.commit()
    return os.getpid(), backend


def main(method: str) -> None:
    conn = forksafe.connect(psycopg2.connect, os.environ.get("PG_DSN", "dbname=app"))
    parent_backend = backend_pid_of(conn)
    ctx = multiprocessing.get_context(method)
    with ProcessPoolExecutor(4, mp_context=ctx, initializer=init, initargs=(conn,)) as pool:
        pairs = set(pool.map(backend_pid, range(100)))
    workers, backends = {p for p, _ in pairs}, {b for _, b in pairs}
    assert parent_backend not in backends and len(backends) == len(workers)
    # (spawn and forkserver executors start workers on demand: fast tasks may need fewer than 4)
    print(f"{method}: {len(workers)} workers, one server session each, "
          f"parent's session {parent_backend} untouched: {backend_pid_of(conn) == parent_backend}")


def backend_pid_of(conn: Any) -> int:
    with conn.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = int(cur.fetchone()[0])
    conn.commit()
    return pid


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "spawn")
