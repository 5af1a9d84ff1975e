"""Misuse mypy must reject (tests/core/test_types.py expects an error on each marked line)."""

from __future__ import annotations

import sqlite3

import forksafe


def not_a_connection() -> None:
    forksafe.Pool(lambda: 42)  # error: a factory must make a DB-API connection


def wrong_connection_back(path: str) -> None:
    pool = forksafe.Pool(lambda: sqlite3.connect(path))
    pool.putconn("not a connection")  # error: putconn takes the pool's connection type


def unknown_driver_attribute(path: str) -> None:
    pool = forksafe.Pool(lambda: sqlite3.connect(path))
    pool.getconn().no_such_method()  # error: sqlite3.Connection has no such attribute
