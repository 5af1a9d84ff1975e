"""Case 1 of issue 15: settings made with a driver *method* are repeated in the child's new session.

The parent sets the session up and forks; the child relies on that set-up. The raw driver's child
shares the parent's session, so the setting holds there (the control); forksafe's child has a
session of its own, which must be set up the same way or writes are lost and queries change.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest
import rel_support as rs
from harness.drivers import BY_NAME, DriverSpec, unique_table

pytestmark = pytest.mark.fork


def _autocommit_method(conn: Any) -> None:
    conn.autocommit(True)  # MySQLdb, PyMySQL: a method, not an attribute


def _set_autocommit(conn: Any) -> None:
    conn.set_autocommit(True)  # psycopg 3


AUTOCOMMIT = {"MySQLdb": _autocommit_method, "pymysql": _autocommit_method, "psycopg": _set_autocommit}


def _child_inserts_without_commit(conn: Any, spec: DriverSpec, server: Any,
                                  setup: Callable[[Any], None]) -> int:
    table = unique_table("ac")
    cur = conn.cursor()
    cur.execute(spec.create_table(table))
    conn.commit()
    setup(conn)

    def child(_: int) -> None:
        c = conn.cursor()
        c.execute(spec.sql(f"INSERT INTO {table} (who, n) VALUES (%s, %s)"), ("child", 1))
        # no commit: the session is in autocommit mode

    rs.in_child(child)
    return rs.count_rows(spec, server, table)


@pytest.mark.parametrize("driver", sorted(AUTOCOMMIT))
def test_autocommit_method_is_replayed_in_child(driver: str, server_for: Any) -> None:
    spec = BY_NAME[driver]
    server = server_for(spec)
    conn = rs.connect(spec, server)
    assert _child_inserts_without_commit(conn, spec, server, AUTOCOMMIT[driver]) == 1
    conn.close()


@pytest.mark.parametrize("driver", sorted(AUTOCOMMIT))
def test_control_raw_child_row_lands_with_autocommit_method(driver: str, server_for: Any) -> None:
    spec = BY_NAME[driver]
    server = server_for(spec)
    conn = rs.raw(spec, server)
    assert _child_inserts_without_commit(conn, spec, server, AUTOCOMMIT[driver]) == 1
    conn.close()


@pytest.mark.parametrize("driver", ["MySQLdb", "pymysql"])
@pytest.mark.parametrize("mode", ["forksafe", "raw"])
def test_select_db_is_replayed_in_child(driver: str, mode: str, mariadb: Any) -> None:
    spec = BY_NAME[driver]
    conn = rs.connect(spec, mariadb) if mode == "forksafe" else rs.raw(spec, mariadb)
    conn.select_db("information_schema")
    assert rs.scalar(conn, "SELECT DATABASE()") == "information_schema"
    [seen] = rs.in_child(lambda _: rs.scalar(conn, "SELECT DATABASE()"))
    assert seen == "information_schema"
    conn.close()


@pytest.mark.parametrize("mode", ["forksafe", "raw"])
def test_sqlite_create_function_is_replayed_in_child(mode: str, tmp_path: Any) -> None:
    spec = BY_NAME["sqlite3"]
    path = str(tmp_path / "f.sqlite3")
    conn = rs.connect(spec, path) if mode == "forksafe" else rs.raw(spec, path)
    conn.create_function("plus_one", 1, lambda v: v + 1)
    assert rs.scalar(conn, "SELECT plus_one(1)") == 2
    [seen] = rs.in_child(lambda _: rs.scalar(conn, "SELECT plus_one(41)"))
    assert seen == 42
    conn.close()


@pytest.mark.parametrize("mode", ["forksafe", "raw"])
def test_psycopg_loader_is_kept_in_child(mode: str, postgresql: Any) -> None:
    import psycopg
    from psycopg.types.string import TextLoader

    class Shouting(TextLoader):
        def load(self, data: Any) -> str:
            return str(super().load(data)).upper()

    spec = BY_NAME["psycopg"]
    conn = rs.connect(spec, postgresql) if mode == "forksafe" else rs.raw(spec, postgresql)
    conn.adapters.register_loader("text", Shouting)
    assert rs.scalar(conn, "SELECT 'abc'::text") == "ABC"
    assert isinstance(conn, psycopg.Connection)
    [seen] = rs.in_child(lambda _: rs.scalar(conn, "SELECT 'xyz'::text"))
    assert seen == "XYZ"
    conn.close()


def test_settings_reach_a_grandchild(mariadb: Any) -> None:
    """Replayed in every new session, not only the first child's: a child's child relies on it too."""
    spec = BY_NAME["pymysql"]
    conn = rs.connect(spec, mariadb)
    table = unique_table("ac")
    rs.scalar(conn, spec.create_table(table))
    conn.commit()
    conn.autocommit(True)

    def child(_: int) -> None:
        rs.scalar(conn, "SELECT 1")  # the child's own session

        def grandchild(_: int) -> None:
            conn.cursor().execute(f"INSERT INTO {table} (who, n) VALUES ('grandchild', 1)")

        rs.in_child(grandchild)

    rs.in_child(child)
    assert rs.count_rows(spec, mariadb, table) == 1
    conn.close()
