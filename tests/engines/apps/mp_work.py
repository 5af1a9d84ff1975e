"""Work functions for the multiprocessing tests: importable by spawn and forkserver children.

``_conn`` is the module-level connection: set in the parent before a fork (the children inherit
it), or by :func:`init` in each worker (the connection arrives pickled, as its recipe).
"""

from __future__ import annotations

import os
from typing import Any

_conn: Any = None


def init(conn: Any) -> None:
    global _conn
    _conn = conn


def _echo_insert(conn: Any, table: str, token: str) -> int:
    cur = conn.cursor()
    try:
        cur.execute("SELECT %s", (token,))
        row = cur.fetchone()
        if row is None or row[0] != token:
            raise RuntimeError(f"cross-talk: asked the database for {token!r}, got {row!r}")
        cur.execute(f"INSERT INTO {table} (who, n) VALUES (%s, %s)", (token, os.getpid()))
    finally:
        cur.close()
    conn.commit()
    return os.getpid()


def with_module_conn(job: tuple[str, str]) -> int:
    table, token = job
    return _echo_insert(_conn, table, token)


def with_arg_conn(job: tuple[Any, str, str]) -> int:
    # Not closed here: tasks pickled in one chunk share one rebuilt connection (pickle memo).
    conn, table, token = job
    return _echo_insert(conn, table, token)


_pool: Any = None


def init_pool(pool_or_factory: Any) -> None:
    """Set this process's forksafe.Pool: the inherited one (fork), or a new one from a factory."""
    global _pool
    if pool_or_factory is None or hasattr(pool_or_factory, "getconn"):
        _pool = pool_or_factory
    else:
        import forksafe

        _pool = forksafe.Pool(pool_or_factory, max_size=2)


def with_pool(job: tuple[str, str]) -> int:
    table, token = job
    conn = _pool.getconn()
    try:
        return _echo_insert(conn, table, token)
    finally:
        _pool.putconn(conn)
