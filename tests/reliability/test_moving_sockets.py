"""Case 3 of issue 15: a reconnect inside the driver opens a new socket, and the lease follows it.

The server drops the parent's session; the driver reconnects on its own (MySQLdb after
``ping(True)``: libmariadb's auto-reconnect, usually on the *same descriptor number* with a new
inode; PyMySQL's ``ping(reconnect=True)``; a ``forksafe.Pool`` whose ``check`` pings with
reconnect). The parent sets up its new session (a temporary table), then forks; the child closes
the driver object it inherited. Without a lease on the new socket that close sends the goodbye
on the parent's live session: the parent silently loses its session state (or, for a lent pool
connection, the child's COMMIT commits the parent's row). The raw control shows the harm.
"""

from __future__ import annotations

import functools
import time
import warnings
from typing import Any

import pytest
import rel_support as rs
from harness.drivers import BY_NAME, DriverSpec, unique_table

import forksafe

pytestmark = pytest.mark.fork


def _kill(spec: DriverSpec, server: Any, session: Any) -> None:
    killer = rs.raw(spec, server)
    try:
        killer.cursor().execute(f"KILL {int(session)}")
    finally:
        killer.close()
    time.sleep(0.2)


def _reconnect_on_its_own(spec: DriverSpec, conn: Any) -> None:
    if spec.name == "MySQLdb":
        rs.scalar(conn, "SELECT 1")  # libmariadb reconnects inside the query
    else:
        conn.ping(reconnect=True)  # PyMySQL: a new socket


@pytest.mark.parametrize("mode", ["forksafe", "raw"])
@pytest.mark.parametrize("driver", ["MySQLdb", "pymysql"])
def test_driver_reconnect_socket_is_leased(driver: str, mode: str, mariadb: Any) -> None:
    spec = BY_NAME[driver]
    conn = rs.connect(spec, mariadb) if mode == "forksafe" else rs.raw(spec, mariadb)
    if driver == "MySQLdb":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            conn.ping(True)  # auto-reconnect on
    first = rs.backend(conn, spec)
    _kill(spec, mariadb, first)
    if driver == "MySQLdb":
        try:
            rs.scalar(conn, "SELECT 1")
        except Exception:
            pass  # libmariadb reports the lost session once, then reconnects on the next query
    _reconnect_on_its_own(spec, conn)
    second = rs.backend(conn, spec)
    assert second != first, "scenario not reached: the driver did not reconnect"
    rs.scalar(conn, "CREATE TEMPORARY TABLE session_state (x INT)")
    driver_object = conn.forksafe_raw if mode == "forksafe" else conn

    def child(_: int) -> None:
        driver_object.close()  # sends COM_QUIT on whatever socket the object holds

    rs.in_child(child)
    time.sleep(0.2)
    try:
        survived = rs.backend(conn, spec) == second
        rs.scalar(conn, "SELECT COUNT(*) FROM session_state")
    except Exception:
        survived = False
    if mode == "raw":
        assert not survived, "control: the raw child's close no longer ends the parent's session"
    else:
        assert survived, "the parent's reconnected session was ended by the child"
        conn.close()


def test_pool_lent_connection_after_check_reconnect_fails_in_child(mariadb: Any) -> None:
    """docs/pool.md: a connection lent out at fork fails at once in the child, even when the
    pool's check reconnected it (a new socket) just before it was lent."""
    import pymysql

    spec = BY_NAME["pymysql"]
    _, kwargs = spec.connect_args(mariadb)
    table = unique_table("lent")
    pool = forksafe.Pool(functools.partial(pymysql.connect, **kwargs), max_size=2,
                         check=lambda c: c.ping(reconnect=True))
    with pool.connection() as c:
        rs.scalar(c, spec.create_table(table))
        c.commit()
        first = rs.backend(c, spec)
    _kill(spec, mariadb, first)
    with pool.connection() as c:  # the check reconnects it: a new socket
        second = rs.backend(c, spec)
        assert second != first, "scenario not reached: the check did not reconnect"
        c.cursor().execute(f"INSERT INTO {table} (who, n) VALUES ('parent', 1)")  # not committed

        def child(_: int) -> str:
            try:
                c.cursor().execute(f"INSERT INTO {table} (who, n) VALUES ('child', 2)")
                c.commit()
            except Exception as e:
                return type(e).__name__
            return "no error"

        [outcome] = rs.in_child(child)
        assert outcome != "no error", "the child used the parent's lent session"
        assert rs.count_rows(spec, mariadb, table) == 0, "the child's COMMIT committed the parent's row"
        assert rs.backend(c, spec) == second
        c.rollback()
    pool.close()
