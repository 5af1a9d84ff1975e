"""Case 9 of issue 15: the password never shows, whatever shape it was passed in: positionally
(``MySQLdb.connect(host, user, passwd, db)``, as MySQLdb documents), in a bytes DSN, inside a
list. Checked in reprs, in forksafe's errors and in its log lines of a child's reconnect."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import rel_support as rs
from harness.servers import DATABASE, PASSWORD, USER

import forksafe

pytestmark = pytest.mark.fork


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_positional_mysqldb_password_never_shown(mariadb: Any) -> None:
    import MySQLdb

    conn = forksafe.connect(MySQLdb.connect, "127.0.0.1", USER, PASSWORD, DATABASE, mariadb.port)
    strict = forksafe.connect(MySQLdb.connect, "127.0.0.1", USER, PASSWORD, DATABASE, mariadb.port,
                              on_fork="raise")
    texts = [repr(conn), str(conn), repr(strict)]
    session = rs.scalar(conn, "SELECT CONNECTION_ID()")  # the positional form really connects
    rs.scalar(strict, "SELECT 1")
    texts.append(repr(conn))

    def child(_: int) -> list[str]:
        handler = _Lines()
        log = logging.getLogger("forksafe")
        log.addHandler(handler)
        log.setLevel(logging.DEBUG)
        seen = [repr(conn)]
        assert rs.scalar(conn, "SELECT CONNECTION_ID()") != session
        try:
            strict.cursor()
        except Exception as e:
            seen.append(str(e))
        seen.append(repr(conn))
        return seen + handler.lines

    [child_texts] = rs.in_child(child)
    texts += child_texts
    conn.close()
    try:
        conn.cursor()
    except Exception as e:
        texts.append(str(e))
    texts.append(repr(conn))
    strict.close()
    leaked = [t for t in texts if PASSWORD in t]
    assert not leaked, leaked


@pytest.mark.parametrize("dsn", [
    f"host=127.0.0.1 user={USER} password={PASSWORD} dbname={DATABASE}".encode(),
    [f"postgresql://{USER}:{PASSWORD}@127.0.0.1/{DATABASE}"],
    (f"password={PASSWORD}", b"x"),
    {"conninfo": [f"password={PASSWORD}".encode()]},
], ids=["bytes-dsn", "list-url", "tuple-mixed", "nested"])
def test_password_in_bytes_and_sequences_never_shown(dsn: Any) -> None:
    import psycopg

    conn = forksafe.connect(psycopg.connect, dsn)  # lazy: opens nothing, so any shape will do
    assert PASSWORD not in repr(conn), repr(conn)
    assert PASSWORD.encode() not in repr(conn).encode()
