"""Bad input gets a clear error that says what to do, nothing is lost, and the next use after the
cause is fixed works. Passwords never appear in a repr, a warning or an error of ours."""

from __future__ import annotations

import os
import re
import warnings
from typing import Any

import pytest
from harness.forking import fork_children
from harness.servers import PASSWORD, free_port, start_postgresql

import forksafe

pytestmark = pytest.mark.fork


def test_connect_function_must_be_callable(postgresql: Any) -> None:
    with pytest.raises(TypeError, match=r"forksafe.connect\(psycopg2.connect, dsn\); got str"):
        forksafe.connect(postgresql.pg_dsn)


def test_wrong_credentials_fail_at_first_use_with_the_drivers_error_then_work_once_fixed(
        postgresql: Any) -> None:
    import psycopg

    admin = psycopg.connect(postgresql.pg_dsn, autocommit=True)
    admin.execute("DROP ROLE IF EXISTS latecomer")
    admin.execute("CREATE ROLE latecomer LOGIN PASSWORD 'first-pw-123'")
    dsn = postgresql.pg_dsn.replace("user=forksafe", "user=latecomer").replace(PASSWORD, "right-pw-456")
    conn = forksafe.connect(psycopg.connect, dsn)  # no I/O yet: nothing fails here
    with pytest.raises(psycopg.OperationalError) as failure:
        conn.cursor()
    assert "right-pw-456" not in str(failure.value) and "right-pw-456" not in repr(conn)
    admin.execute("ALTER ROLE latecomer PASSWORD 'right-pw-456'")  # the cause is fixed
    cur = conn.cursor()
    cur.execute("SELECT current_user")
    assert cur.fetchone()[0] == "latecomer"
    conn.close()
    admin.close()


def test_mysqldb_wrong_password_is_the_drivers_own_error(mariadb: Any) -> None:
    import MySQLdb

    kwargs = dict(mariadb.mysql_kwargs, password="not-the-password")
    conn = forksafe.connect(MySQLdb.connect, **kwargs)
    with pytest.raises(MySQLdb.OperationalError, match="Access denied"):
        conn.cursor()
    assert "not-the-password" not in repr(conn)


def test_closed_connection_used_again(postgresql: Any, mariadb: Any) -> None:
    import psycopg
    import psycopg2
    import pymysql

    conn = forksafe.connect(pymysql.connect, **mariadb.mysql_kwargs)
    conn.cursor().execute("SELECT 1")
    conn.close()
    conn.close()  # closing twice is fine, as for the drivers
    with pytest.raises(forksafe.ConnectionClosedError, match=r"closed with close\(\); make a new one"):
        conn.cursor()
    assert conn.closed

    never_opened = forksafe.connect(psycopg.connect, postgresql.pg_dsn)
    never_opened.close()
    with pytest.raises(forksafe.ConnectionClosedError):
        never_opened.cursor()

    native = forksafe.connect(psycopg2.connect, postgresql.pg_dsn)
    native.close()
    with pytest.raises(psycopg2.InterfaceError, match="connection already closed"):
        native.cursor()
    assert native.closed


def test_server_down_at_first_use_then_up() -> None:
    import psycopg

    port = free_port()
    dsn = f"host=127.0.0.1 port={port} user=forksafe password={PASSWORD} dbname=forksafe connect_timeout=5"
    conn = forksafe.connect(psycopg.connect, dsn)
    with pytest.raises(psycopg.OperationalError):
        conn.cursor()
    server = start_postgresql(port=port)
    try:
        cur = conn.cursor()
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)
        conn.close()
    finally:
        server.stop()


SECRET = "Very-Secret-Pw-42"


@pytest.mark.parametrize("form", ["kwargs", "passwd", "dsn", "url"])
def test_password_never_in_repr_warning_or_error(form: str, postgresql: Any) -> None:
    import MySQLdb
    import psycopg

    if form == "kwargs":
        conn = forksafe.connect(psycopg.connect, host="127.0.0.1", port=postgresql.port, password=SECRET,
                                on_fork="raise")
    elif form == "passwd":
        conn = forksafe.connect(MySQLdb.connect, host="127.0.0.1", passwd=SECRET, on_fork="raise")
    elif form == "dsn":
        dsn = f"host=127.0.0.1 password='{SECRET}' user=x"
        conn = forksafe.connect(psycopg.connect, dsn, on_fork="raise")
    else:
        conn = forksafe.connect(psycopg.connect, f"postgresql://x:{SECRET}@127.0.0.1:1/db", on_fork="raise")
    texts = [repr(conn), str(conn), repr(conn.forksafe_recipe)]
    assert all(SECRET not in t for t in texts), texts
    assert any("***" in t for t in texts)
    # The fork errors name the connection's origin, never its arguments.
    conn._fs_raw, conn._fs_gen, conn._fs_raw_pid = object(), -2, os.getpid()  # as if inherited
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outcome = fork_children(lambda i: conn.cursor(), 1, timeout=20)
    error = outcome.children[0].error
    assert "ForkedConnectionError" in error and SECRET not in error
    assert re.search(r"connection made in process \d+ at .*test_bad_input.py:\d+", error)
