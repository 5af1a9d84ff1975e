"""Typed use of forksafe's public API, checked by ``mypy --strict`` in tests/core/test_types.py.

Never run: it only has to type-check. Each ``assert_type`` is a claim about what the user's type
checker sees.
"""

from __future__ import annotations

import functools
import sqlite3
from typing import Any, Sequence

import psycopg
from typing_extensions import assert_type

import forksafe
from forksafe import DBAPIConnection, DBAPICursor


def pool_keeps_the_drivers_type(dsn: str) -> None:
    pool = forksafe.Pool(functools.partial(psycopg.connect, dsn), max_size=2)
    assert_type(pool, forksafe.Pool[psycopg.Connection[Any]])
    conn = pool.getconn()
    assert_type(conn, psycopg.Connection[Any])
    conn.autocommit = True  # the driver's own attribute: known to the type checker
    pool.putconn(conn)
    with pool.connection() as conn2:
        assert_type(conn2, psycopg.Connection[Any])
        conn2.execute("SELECT 1")


def pool_of_sqlite(path: str) -> None:
    pool = forksafe.Pool(lambda: sqlite3.connect(path), check=forksafe.Pool.check_connection,
                         configure=lambda conn: conn.execute("PRAGMA journal_mode=WAL"))
    with pool.connection() as conn:
        assert_type(conn, sqlite3.Connection)
        cur = conn.cursor()
        assert_type(cur, sqlite3.Cursor)
    assert_type(pool.stats()["idle"], Any)


def drivers_match_the_protocols(path: str, dsn: str) -> None:
    conns: list[DBAPIConnection] = [sqlite3.connect(path), psycopg.connect(dsn)]
    for conn in conns:
        cur: DBAPICursor = conn.cursor()
        cur.execute("SELECT 1")
        assert_type(cur.fetchall(), Sequence[Any])
        assert_type(cur.rowcount, int)
        cur.close()
        conn.commit()


def connect_keeps_the_drivers_type(path: str) -> None:
    conn = forksafe.connect(sqlite3.connect, path)
    assert_type(conn, sqlite3.Connection)
    cur = conn.cursor()
    cur.execute("SELECT 1")
    conn.close()
