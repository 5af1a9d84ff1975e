"""Drop-in means drop-in: wherever the driver's connection is accepted, forksafe's is too.

psycopg2's C functions check the C type (docs/evidence.md); SQLAlchemy's psycopg2 dialect calls
them on every new connection. The control shows a plain proxy being refused, so we know the checks
are real.
"""

from __future__ import annotations

import os
from typing import Any, Callable

import pytest
from harness.drivers import SERVER_DRIVERS, DriverSpec, unique_table
from harness.forking import fork_children

import forksafe
from forksafe import Connection
from forksafe._recipe import Recipe

pytestmark = pytest.mark.fork


def _psycopg2_functions(conn: Any) -> list[Any]:
    import psycopg2.extensions as ext
    import psycopg2.extras as extras
    from psycopg2 import sql

    cur = conn.cursor()
    cur.execute("CREATE EXTENSION IF NOT EXISTS hstore")
    conn.commit()
    extras.register_uuid(None, conn)
    extras.register_default_json(conn)
    extras.register_hstore(conn)
    caster = ext.new_type((25,), "SHOUT", lambda value, cur: None if value is None else value.upper())
    ext.register_type(caster, conn)
    quoted = ext.quote_ident("a table", conn)
    composed = sql.SQL("SELECT {} FROM {}").format(sql.Identifier("x"), sql.Identifier("t t")).as_string(conn)
    cur = conn.cursor()
    cur.execute("SELECT %s::uuid, %s::json, 'a=>1'::hstore, 'quiet'::text",
                ("12345678-1234-5678-1234-567812345678", '{"k": 1}'))
    uuid_value, json_value, hstore_value, text_value = cur.fetchone()
    conn.rollback()
    return [type(uuid_value).__name__, json_value, hstore_value, text_value, quoted, composed]


EXPECTED = ["UUID", {"k": 1}, {"a": "1"}, "QUIET", '"a table"', 'SELECT "x" FROM "t t"']


def test_psycopg2_functions_accept_forksafe_connection_before_and_after_fork(postgresql: Any) -> None:
    import psycopg2

    conn = forksafe.connect(psycopg2.connect, postgresql.pg_dsn)
    assert isinstance(conn, psycopg2.extensions.connection)
    assert _psycopg2_functions(conn) == EXPECTED
    outcome = fork_children(lambda i: [_psycopg2_functions(conn), conn.get_backend_pid()], 3, timeout=60)
    assert outcome.ok, outcome.summary()
    parent_backend = conn.get_backend_pid()
    for child in outcome.children:
        functions, backend = child.report
        assert functions == EXPECTED and backend != parent_backend
    assert _psycopg2_functions(conn) == EXPECTED


def test_typecasters_registered_in_parent_survive_the_childs_reconnect(postgresql: Any) -> None:
    import psycopg2.extras

    conn = forksafe.connect(psycopg2.connect, postgresql.pg_dsn)
    psycopg2.extras.register_uuid(None, conn)
    conn.autocommit = True

    def child(_: int) -> list[Any]:
        cur = conn.cursor()
        cur.execute("SELECT %s::uuid", ("12345678-1234-5678-1234-567812345678",))
        return [type(cur.fetchone()[0]).__name__, conn.autocommit, conn.get_backend_pid()]

    outcome = fork_children(child, 2, timeout=30)
    assert outcome.ok, outcome.summary()
    for c in outcome.children:
        assert c.report[:2] == ["UUID", True]


def test_control_plain_proxy_is_refused_by_psycopg2(postgresql: Any) -> None:
    import psycopg2
    import psycopg2.extras

    proxy = Connection(Recipe(psycopg2.connect, (postgresql.pg_dsn,), {}))
    proxy.cursor()  # opened and working...
    with pytest.raises(TypeError, match="must be a connection"):
        psycopg2.extras.register_uuid(None, proxy)  # ...but not accepted where psycopg2 checks the type


# -- SQLAlchemy engines built on forksafe connections ---------------------------------------------

DIALECTS = {
    "psycopg2": "postgresql+psycopg2://",
    "psycopg": "postgresql+psycopg://",
    "MySQLdb": "mysql+mysqldb://",
    "pymysql": "mysql+pymysql://",
    "mysql.connector": "mysql+mysqlconnector://",
}


def _engine(spec: DriverSpec, server: Any) -> Any:
    import sqlalchemy

    args, kwargs = spec.connect_args(server)
    creator: Callable[[], Any] = lambda: forksafe.connect(spec.connect_fn, *args, **kwargs)  # noqa: E731
    return sqlalchemy.create_engine(DIALECTS[spec.name], creator=creator, pool_size=2)


@pytest.mark.parametrize("spec", SERVER_DRIVERS, ids=lambda s: s.name)
def test_sqlalchemy_core_on_forksafe_connections_in_parent_and_children(spec: DriverSpec,
                                                                          server_for: Any) -> None:
    import sqlalchemy as sa

    engine = _engine(spec, server_for(spec))
    table = unique_table()
    meta = sa.MetaData()
    t = sa.Table(table, meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("who", sa.String(80)))
    meta.create_all(engine)
    with engine.begin() as c:
        c.execute(t.insert(), [{"who": "parent"}])

    def child(i: int) -> int:
        for n in range(20):
            with engine.begin() as c:
                c.execute(t.insert(), [{"who": f"child-{i}-{n}"}])
                token = f"{os.getpid()}-{n}"
                assert c.execute(sa.select(sa.literal(token))).scalar() == token
        return 0

    outcome = fork_children(child, 4, timeout=60)
    assert outcome.ok, outcome.summary()
    with engine.connect() as c:
        assert c.execute(sa.select(sa.func.count()).select_from(t)).scalar() == 1 + 4 * 20
    engine.dispose()


def test_proxy_forwards_driver_extras_and_isinstance(postgresql: Any, tmp_path: Any) -> None:
    import sqlite3

    import psycopg

    conn = forksafe.connect(psycopg.connect, postgresql.pg_dsn)
    assert isinstance(conn, psycopg.Connection)
    cur = conn.execute("SELECT %s::int + 1", (41,))  # psycopg's conn.execute returns a (guarded) cursor
    assert cur.fetchone() == (42,) and cur.connection is conn
    outcome = fork_children(lambda i: cur.fetchone(), 1, timeout=20)
    assert "ForkedConnectionError" in outcome.children[0].error
    with conn.transaction():
        conn.execute("SELECT 1")
    conn.rollback()
    conn.autocommit = True  # recorded, and applied to each process's connection
    outcome = fork_children(lambda i: conn.autocommit, 1, timeout=20)
    assert outcome.ok and outcome.children[0].report is True
    conn.close()

    lite = forksafe.connect(sqlite3.connect, str(tmp_path / "x.db"))
    assert lite.execute("SELECT 2 * 21").fetchone() == (42,)
    with lite:  # sqlite3's context manager is a transaction
        lite.execute("CREATE TABLE t (x)")
    assert lite.execute("SELECT COUNT(*) FROM t").fetchone() == (0,)
    lite.close()


def test_psycopg2_cursor_factories_and_named_cursors(postgresql: Any) -> None:
    import psycopg2
    import psycopg2.extras as extras

    conn = forksafe.connect(psycopg2.connect, postgresql.pg_dsn, cursor_factory=extras.RealDictCursor)
    cur = conn.cursor()
    cur.execute("SELECT 1 AS one")
    assert cur.fetchone() == {"one": 1} and isinstance(cur, extras.RealDictCursor)
    with conn.cursor(cursor_factory=extras.NamedTupleCursor) as nt:
        nt.execute("SELECT 2 AS two")
        assert nt.fetchone().two == 2
    named = conn.cursor("server_side")  # a server-side cursor, iterated in batches
    named.itersize = 3
    named.execute("SELECT generate_series(1, 10)")
    assert [row["generate_series"] for row in named] == list(range(1, 11))
    conn.rollback()

    def child(_: int) -> Any:
        try:
            cur.execute("SELECT 1")
        except forksafe.ForkedConnectionError:
            pass
        else:
            raise AssertionError("inherited RealDictCursor ran a query")
        fresh = conn.cursor()
        fresh.execute("SELECT 3 AS three")
        return [fresh.fetchone(), type(fresh).__name__]

    outcome = fork_children(child, 2, timeout=30)
    assert outcome.ok, outcome.summary()
    assert all(c.report[0] == {"three": 3} for c in outcome.children)
