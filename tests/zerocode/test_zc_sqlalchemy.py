"""SQLAlchemy engines across fork: a module-level engine used in the parent, then forked children
using Core and ORM sessions, on the psycopg2, psycopg, MySQLdb and PyMySQL dialects.

Three forms per dialect: under ``forksafe.patch()``, with ``make_fork_safe(engine)``, and the
control with neither (the children check out the parent's pooled connection and fail). Every
statement a child runs is checked against a token only that child can expect.
"""

from __future__ import annotations

import os
from typing import Any, Callable

import pytest
from harness.drivers import unique_table
from harness.forking import fork_children
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, func, literal, select, text
from sqlalchemy.orm import DeclarativeBase, Session

import forksafe
from forksafe.integrations.sqlalchemy import is_fork_safe, make_fork_safe

CHILDREN = 8
ROWS = 25
DIALECTS = {
    "psycopg2": ("postgresql", "postgresql+psycopg2", {}),
    "psycopg": ("postgresql", "postgresql+psycopg", {}),
    "MySQLdb": ("mariadb", "mysql+mysqldb", {}),
    "pymysql": ("mariadb", "mysql+pymysql", {"ssl_disabled": True}),
}
BACKEND_SQL = {"postgresql": "SELECT pg_backend_pid()", "mariadb": "SELECT CONNECTION_ID()"}


def _engine(request: pytest.FixtureRequest, dialect: str) -> tuple[Any, str]:
    server_kind, scheme, connect_args = DIALECTS[dialect]
    server = request.getfixturevalue(server_kind)
    url = server.url.replace(server.url.split("://", 1)[0], scheme, 1)
    engine = create_engine(url, pool_size=5, connect_args=connect_args)
    request.addfinalizer(engine.dispose)
    return engine, server_kind


def _scenario(engine: Any, server_kind: str, *, timeout: float) -> tuple[Any, Callable[[], dict[str, Any]]]:
    """Parent uses the engine, forks children that use Core then the ORM; returns the outcome and
    a function that checks the parent afterwards."""
    name = unique_table("sa")
    table = Table(name, MetaData(), Column("id", Integer, primary_key=True), Column("who", String(40)),
                  Column("n", Integer))
    table.metadata.create_all(engine)

    class Base(DeclarativeBase):
        pass

    class Row(Base):
        __table__ = table

    with engine.connect() as c:  # the parent's pooled session: children inherit it checked in
        backend_before = c.execute(text(BACKEND_SQL[server_kind])).scalar()

    def child(i: int) -> int:
        with engine.begin() as c:  # Core
            for k in range(ROWS):
                token = f"core-{i}-{k}-{os.getpid()}"
                got = c.execute(select(literal(token, String))).scalar()
                assert got == token, f"expected {token!r}, got {got!r}"
                c.execute(table.insert(), {"who": f"core-{i}", "n": k})
        with Session(engine) as session:  # ORM
            for k in range(ROWS):
                token = f"orm-{i}-{k}-{os.getpid()}"
                got = session.execute(select(literal(token, String))).scalar()
                assert got == token, f"expected {token!r}, got {got!r}"
                session.add(Row(who=f"orm-{i}", n=k))
                session.flush()
            session.commit()
        return os.getpid()

    outcome = fork_children(child, CHILDREN, timeout=timeout)

    def parent_after() -> dict[str, Any]:
        with engine.connect() as c:
            return {"backend": c.execute(text(BACKEND_SQL[server_kind])).scalar(),
                    "rows": c.execute(select(func.count()).select_from(table)).scalar(),
                    "backend_before": backend_before}

    return outcome, parent_after


def _assert_fork_safe(outcome: Any, parent_after: Callable[[], dict[str, Any]]) -> None:
    assert outcome.ok, outcome.summary()
    after = parent_after()
    assert after["rows"] == CHILDREN * ROWS * 2, after
    # The parent's pooled session is the same one as before the fork: it survived the children.
    assert after["backend"] == after["backend_before"], after


@pytest.mark.parametrize("dialect", list(DIALECTS))
def test_engine_under_patch(request: pytest.FixtureRequest, dialect: str) -> None:
    forksafe.patch()
    request.addfinalizer(forksafe.unpatch)
    engine, kind = _engine(request, dialect)
    outcome, parent_after = _scenario(engine, kind, timeout=90)
    assert is_fork_safe(engine)
    _assert_fork_safe(outcome, parent_after)


@pytest.mark.parametrize("dialect", list(DIALECTS))
def test_engine_made_fork_safe_in_one_call(request: pytest.FixtureRequest, dialect: str) -> None:
    engine, kind = _engine(request, dialect)
    assert make_fork_safe(engine) is engine
    outcome, parent_after = _scenario(engine, kind, timeout=90)
    _assert_fork_safe(outcome, parent_after)


@pytest.mark.parametrize("dialect", list(DIALECTS))
def test_control_plain_engine_breaks_across_fork(request: pytest.FixtureRequest, dialect: str) -> None:
    engine, kind = _engine(request, dialect)
    outcome, parent_after = _scenario(engine, kind, timeout=6)
    try:
        after = parent_after()
    except Exception as e:  # the parent's session was killed by a child
        after = {"error": repr(e)}
    broken = (not outcome.ok or "error" in after or after["rows"] != CHILDREN * ROWS * 2
              or after["backend"] != after["backend_before"])
    assert broken, (outcome.summary(), after)


def test_engine_made_before_patch_is_taken_over(request: pytest.FixtureRequest) -> None:
    """An engine whose pool already holds raw MySQLdb connections when patch() runs: they are
    closed in the parent and re-made through the patched driver (MySQLdb's destructor would
    otherwise say goodbye on the parent's socket from the child)."""
    engine, kind = _engine(request, "MySQLdb")
    with engine.connect() as c:
        c.execute(text("SELECT 1"))
    assert engine.pool.checkedin() == 1
    forksafe.patch()
    request.addfinalizer(forksafe.unpatch)
    assert engine.pool.checkedin() == 0 and is_fork_safe(engine)
    outcome, parent_after = _scenario(engine, kind, timeout=90)
    _assert_fork_safe(outcome, parent_after)
