"""Bad input gets a clear error that says what to do, nothing is lost, and the next use after the
cause is fixed works. Passwords never appear in a repr, a warning or an error of ours."""

from __future__ import annotations

import importlib
import re
import warnings
from typing import Any

import pytest
from harness.drivers import DRIVERS, DriverSpec
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


def _outcome(action: Any) -> Any:
    """What an action did: None, or the type of what it raised."""
    try:
        action()
    except Exception as exc:
        return type(exc)
    return None


@pytest.mark.parametrize("spec", DRIVERS, ids=lambda s: s.name)
def test_closed_connection_behaves_as_the_drivers_own(spec: DriverSpec, server_for: Any) -> None:
    """Closing twice does what the driver does; use after close raises an error that is the driver's
    own InterfaceError (so its Error) and forksafe's ConnectionClosedError, naming what to do."""
    args, kwargs = spec.connect_args(server_for(spec))
    raw = spec.connect_fn(*args, **kwargs)
    raw.close()
    driver_second_close = _outcome(raw.close)

    dbapi = importlib.import_module(spec.module)
    for used_first in (True, False):
        conn = forksafe.connect(spec.connect_fn, *args, **kwargs)
        if used_first:
            conn.cursor().execute("SELECT 1")
        conn.close()
        if used_first:
            assert _outcome(conn.close) is driver_second_close
        with pytest.raises(dbapi.InterfaceError, match=r"closed with close\(\); make a new one") as failure:
            conn.cursor()
        assert isinstance(failure.value, forksafe.ConnectionClosedError)
        assert isinstance(failure.value, dbapi.Error)
        assert conn.closed


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
    # The fork errors name the connection's origin, never its arguments (made here, used in a
    # child: strict mode raises even though this process never opened it).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outcome = fork_children(lambda i: conn.cursor(), 1, timeout=20)
    error = outcome.children[0].error
    assert "ForkedConnectionError" in error and SECRET not in error
    assert re.search(r"connection made in process \d+ at .*test_bad_input.py:\d+", error)
