"""The database side of the engine test apps, configured from the environment.

``FS_MODE`` is ``forksafe`` (the connection comes from ``forksafe.connect``) or ``raw`` (the
driver's own connection, for the controls and the zero-code runs). ``FS_DRIVER`` names the driver
module, ``FS_DB`` is JSON ``{"args": [...], "kwargs": {...}}`` for its connect function and
``FS_TABLE`` the table the apps insert into.
"""

from __future__ import annotations

import importlib
import json
import os
from typing import Any

MODE = os.environ.get("FS_MODE", "forksafe")
DRIVER = os.environ["FS_DRIVER"]
TABLE = os.environ.get("FS_TABLE", "")
_CONF = json.loads(os.environ["FS_DB"])


def connect() -> Any:
    module = importlib.import_module(DRIVER)
    args, kwargs = _CONF.get("args", []), _CONF.get("kwargs", {})
    if MODE == "forksafe":
        import forksafe

        return forksafe.connect(module.connect, *args, **kwargs)
    return module.connect(*args, **kwargs)


def use(conn: Any) -> None:
    """What an app does with its connection at start-up, in the process that will later fork."""
    cur = conn.cursor()
    cur.execute("SELECT 1")
    cur.fetchall()
    cur.close()
    conn.commit()


def echo(conn: Any, token: str, times: int = 1) -> None:
    """Ask the server to echo ``token``; only this caller can expect that reply."""
    cur = conn.cursor()
    try:
        for _ in range(times):
            cur.execute("SELECT %s", (token,))
            row = cur.fetchone()
            if row is None or row[0] != token:
                raise RuntimeError(f"cross-talk: asked the database for {token!r}, got {row!r}")
    finally:
        cur.close()


def backend_id(conn: Any) -> int:
    """The server's id for this connection's session: one per process is the whole point."""
    sql = "SELECT pg_backend_pid()" if DRIVER.startswith("psycopg") else "SELECT CONNECTION_ID()"
    cur = conn.cursor()
    try:
        cur.execute(sql)
        return int(cur.fetchone()[0])
    finally:
        cur.close()


def insert_checked(conn: Any, token: str, checks: int = 1) -> int:
    """Echo ``token`` (``checks`` times), insert a row for it, commit; return this process's pid."""
    echo(conn, token, checks)
    cur = conn.cursor()
    try:
        cur.execute(f"INSERT INTO {TABLE} (who, n) VALUES (%s, %s)", (token, os.getpid()))
    finally:
        cur.close()
    conn.commit()
    return os.getpid()
