"""What the async proxy does in one process, on the real servers: lazy, per event loop, the
driver's own objects and errors once open, and the zero-code switches that restore exactly."""

from __future__ import annotations

import asyncio
import importlib
import pickle
from typing import Any

import aiomysql
import asyncpg
import psycopg
import pytest
from async_support import CLIENTS, server_params
from harness.forking import fork_children
from psycopg_pool import AsyncConnectionPool

import forksafe
from forksafe import _async_drivers
from forksafe._async import AsyncProxy

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def pg(request: pytest.FixtureRequest) -> dict[str, Any]:
    return server_params(request, CLIENTS["asyncpg-conn"])


@pytest.fixture
def my(request: pytest.FixtureRequest) -> dict[str, Any]:
    return server_params(request, CLIENTS["aiomysql-conn"])


def test_nothing_opens_until_used() -> None:
    # Port 1 refuses connections: anything that tried to connect would raise here.
    conn = forksafe.connect_async(asyncpg.connect, "postgresql://u:Secret-PW@127.0.0.1:1/db")
    # isinstance answers without connecting (asyncpg.Connection's metaclass looks at type() only)
    made = [(AsyncConnectionPool, AsyncConnectionPool), (asyncpg.create_pool, asyncpg.Pool),
            (psycopg.AsyncConnection.connect, psycopg.AsyncConnection), (aiomysql.create_pool, aiomysql.Pool)]
    for factory, cls in made:
        assert isinstance(forksafe.connect_async(factory, "port=1"), cls), factory
    text = repr(conn)
    assert "not open in this event loop" in text and "Secret-PW" not in text
    with pytest.raises(OSError):
        asyncio.run(conn.fetchval("SELECT 1"))  # the driver's own error, at first use


def test_bad_input_says_what_to_do() -> None:
    with pytest.raises(TypeError, match=r"connect_async\(asyncpg.connect, dsn\)"):
        forksafe.connect_async("postgresql://127.0.0.1/db")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="on_fork must be one of"):
        forksafe.connect_async(asyncpg.connect, on_fork="sometimes")
    for factory in (asyncpg.connect, asyncpg.create_pool, aiomysql.connect, AsyncConnectionPool,
                    psycopg.AsyncConnection.connect):
        with pytest.raises(TypeError, match=r"use forksafe.connect_async\(\.\.\.\)"):
            forksafe.connect(factory, "dbname=app")


async def _backend(conn: Any) -> int:
    return int(await conn.fetchval("SELECT pg_backend_pid()"))


def test_each_event_loop_gets_its_own(pg: dict[str, Any]) -> None:
    conn = forksafe.connect_async(asyncpg.connect, pg["pg_url"])
    first, second = asyncio.run(_backend(conn)), asyncio.run(_backend(conn))
    assert first != second  # the second asyncio.run got a session of its own loop


def test_control_raw_connection_is_bound_to_its_loop(pg: dict[str, Any]) -> None:
    loop = asyncio.new_event_loop()
    conn = loop.run_until_complete(asyncpg.connect(pg["pg_url"]))
    try:
        with pytest.raises(RuntimeError, match="attached to a different loop"):
            asyncio.run(_backend(conn))
    finally:
        loop.run_until_complete(conn.close())
        loop.close()


def test_first_use_shapes_before_open(pg: dict[str, Any]) -> None:
    """What documented code does first: every shape resolves on this loop's own connection."""
    async def run() -> list[Any]:
        conn = forksafe.connect_async(psycopg.AsyncConnection.connect, pg["pg_dsn"], autocommit=True)
        cur = conn.cursor()  # not open yet: resolved at the first await, one cursor throughout
        await cur.execute("SELECT %s::text", ("a",))
        got = [(await cur.fetchone())[0], cur.rowcount]
        fresh = forksafe.connect_async(psycopg.AsyncConnection.connect, pg["pg_dsn"])
        async with fresh.transaction(), fresh.cursor() as c2:
            await c2.execute("SELECT 2")
            got.append((await c2.fetchone())[0])
        apg = forksafe.connect_async(asyncpg.connect, pg["pg_url"])
        async with apg.transaction():
            got += [r["n"] async for r in apg.cursor("SELECT generate_series(1, 3) AS n")]
        pool = forksafe.connect_async(asyncpg.create_pool, pg["pg_url"], min_size=1, max_size=2)
        async with pool.acquire() as c3:
            got.append(await c3.fetchval("SELECT 4"))
        for obj in (conn, fresh, apg, pool):
            await obj.close()
        return got

    assert asyncio.run(run()) == ["a", 1, 2, 1, 2, 3, 4]


def test_truth_of_an_unopened_value_is_an_error() -> None:
    conn = forksafe.connect_async(asyncpg.connect, "postgresql://127.0.0.1:1/db")
    with pytest.raises(TypeError, match="not open yet"):
        bool(conn.is_closed())


def test_racing_first_uses_open_one_session(pg: dict[str, Any]) -> None:
    async def run() -> set[int]:
        conn = forksafe.connect_async(psycopg.AsyncConnection.connect, pg["pg_dsn"], autocommit=True)

        async def backend() -> int:
            cur = await conn.execute("SELECT pg_backend_pid()")
            return int((await cur.fetchone())[0])

        pids = set(await asyncio.gather(*[backend() for _ in range(10)]))
        await conn.close()
        return pids

    assert len(asyncio.run(run())) == 1


def test_after_close_the_drivers_error(pg: dict[str, Any]) -> None:
    async def run() -> None:
        conn = await forksafe.connect_async(asyncpg.connect, pg["pg_url"])  # await: open now
        await conn.close()
        with pytest.raises(asyncpg.InterfaceError):
            await conn.fetchval("SELECT 1")  # same loop: the driver's own closed connection

    asyncio.run(run())


def test_closed_in_parent_stays_closed_in_child(pg: dict[str, Any]) -> None:
    conn = forksafe.connect_async(asyncpg.connect, pg["pg_url"])
    asyncio.run(conn.close())  # nothing open: only marks it closed

    def child(_: int) -> str:
        try:
            asyncio.run(conn.fetchval("SELECT 1"))
        except asyncpg.InterfaceError as exc:  # the driver's class, and forksafe's
            assert isinstance(exc, forksafe.ConnectionClosedError)
            return "closed"
        return "opened"

    outcome = fork_children(child, 1, timeout=30)
    assert outcome.ok and outcome.children[0].report == "closed", outcome.summary()


def test_commit_before_any_use_in_child_opens_nothing(pg: dict[str, Any]) -> None:
    conn = forksafe.connect_async(psycopg.AsyncConnection.connect, pg["pg_dsn"])
    loop = asyncio.new_event_loop()
    loop.run_until_complete(conn.execute("SELECT 1"))

    def child(_: int) -> str:
        asyncio.run(conn.commit())
        return repr(conn)

    try:
        outcome = fork_children(child, 1, timeout=30)
        assert outcome.ok, outcome.summary()
        assert "not open in this event loop" in outcome.children[0].report
    finally:
        loop.run_until_complete(conn.close())
        loop.close()


def test_pickles_as_its_recipe(pg: dict[str, Any]) -> None:
    conn = forksafe.connect_async(asyncpg.connect, pg["pg_url"], on_fork="warn")
    copy = pickle.loads(pickle.dumps(conn))
    assert issubclass(type(copy), AsyncProxy) and copy is not conn
    assert asyncio.run(copy.fetchval("SELECT 5")) == 5


def test_every_connection_the_driver_makes_is_leased(pg: dict[str, Any], my: dict[str, Any]) -> None:
    """Raw connections too, once the lease funnel is on, and aiomysql's reconnects follow."""
    from forksafe._async_leases import ensure_funnels

    ensure_funnels("explicit")

    async def run() -> None:
        conn = await asyncpg.connect(pg["pg_url"])
        lease = _async_drivers.driver_named("asyncpg").lease_of(conn)
        assert lease is not None
        assert [fd for fd, _, _ in lease.fds] == [conn._transport.get_extra_info("socket").fileno()]
        await conn.close()
        mconn = await aiomysql.connect(**my["mysql"])
        mlease = mconn._forksafe_lease
        before = mlease.fds
        mconn.close()
        await mconn.ping(reconnect=True)  # a new socket, made inside the driver
        assert mconn._forksafe_lease is mlease and mlease.fds != before
        assert [fd for fd, _, _ in mlease.fds] == [mconn._writer.transport.get_extra_info("socket").fileno()]
        mconn.close()

    asyncio.run(run())


@pytest.mark.parametrize("integration,names", [
    ("asyncpg", [(asyncpg, "connect"), (asyncpg, "create_pool")]),
    ("aiomysql", [(aiomysql, "connect"), (aiomysql, "create_pool")]),
    ("psycopg_async", [(psycopg.AsyncConnection, "connect"), (AsyncConnectionPool, "__new__")]),
])
def test_install_and_uninstall_restore_exactly(integration: str, names: list[Any]) -> None:
    module = importlib.import_module(f"forksafe.integrations.{integration}")
    before = [(owner, name, name in vars(owner), vars(owner).get(name)) for owner, name in names]
    module.install()
    module.install()  # idempotent
    try:
        assert module.is_installed()
        for owner, name, _, value in before:
            assert vars(owner).get(name) is not value, f"{name} not replaced"
    finally:
        module.uninstall()
        module.uninstall()
    assert not module.is_installed()
    for owner, name, had, value in before:
        assert (name in vars(owner)) == had and vars(owner).get(name) is value, f"{name} not restored"
