"""The async SQL clients under test, each written the way its documentation shows it.

``make_raw`` is the driver's own call (what zero-code mode intercepts); ``make_forksafe`` the same
call through ``forksafe.connect_async``; ``echo`` one query returning the token it was given;
``close`` what a worker does with the client when it is done.
"""

from typing import Any, Awaitable, Callable, NamedTuple, Optional


class Client(NamedTuple):
    name: str
    server: str  # "postgresql" or "mariadb"
    make_raw: Callable[[dict], Awaitable[Any]]
    make_forksafe: Callable[[dict, Optional[str]], Any]
    echo: Callable[[Any, str], Awaitable[str]]
    close: Callable[[Any], Awaitable[None]]
    pooled: bool


# -- asyncpg -------------------------------------------------------------------------------------

async def asyncpg_connect(server):
    import asyncpg

    return await asyncpg.connect(server["pg_url"])


def asyncpg_connect_fs(server, on_fork):
    import asyncpg

    import forksafe

    return forksafe.connect_async(asyncpg.connect, server["pg_url"], on_fork=on_fork)


async def asyncpg_pool(server):
    import asyncpg

    return await asyncpg.create_pool(server["pg_url"], min_size=2, max_size=2)


def asyncpg_pool_fs(server, on_fork):
    import asyncpg

    import forksafe

    return forksafe.connect_async(asyncpg.create_pool, server["pg_url"], min_size=2, max_size=2,
                                  on_fork=on_fork)


async def asyncpg_echo(conn, token):
    return await conn.fetchval("SELECT $1::text", token)


async def asyncpg_pool_echo(pool, token):
    async with pool.acquire() as conn:
        return await conn.fetchval("SELECT $1::text", token)


async def async_close(obj):
    await obj.close()


# -- psycopg 3 -----------------------------------------------------------------------------------

async def psycopg_connect(server):
    import psycopg

    return await psycopg.AsyncConnection.connect(server["pg_dsn"], autocommit=True)


def psycopg_connect_fs(server, on_fork):
    import psycopg

    import forksafe

    return forksafe.connect_async(psycopg.AsyncConnection.connect, server["pg_dsn"], autocommit=True,
                                  on_fork=on_fork)


async def psycopg_pool(server):
    from psycopg_pool import AsyncConnectionPool

    pool = AsyncConnectionPool(server["pg_dsn"], min_size=2, max_size=2, open=False)
    await pool.open(wait=True)
    return pool


def psycopg_pool_fs(server, on_fork):
    from psycopg_pool import AsyncConnectionPool

    import forksafe

    return forksafe.connect_async(AsyncConnectionPool, server["pg_dsn"], min_size=2, max_size=2,
                                  on_fork=on_fork)


async def psycopg_echo(conn, token):
    cur = await conn.execute("SELECT %s::text", (token,))
    (value,) = await cur.fetchone()
    return value


async def psycopg_pool_echo(pool, token):
    async with pool.connection() as conn, conn.cursor() as cur:
        await cur.execute("SELECT %s::text", (token,))
        (value,) = await cur.fetchone()
        return value


# -- aiomysql ------------------------------------------------------------------------------------

async def aiomysql_connect(server):
    import aiomysql

    return await aiomysql.connect(**server["mysql"], autocommit=True)


def aiomysql_connect_fs(server, on_fork):
    import aiomysql

    import forksafe

    return forksafe.connect_async(aiomysql.connect, **server["mysql"], autocommit=True, on_fork=on_fork)


async def aiomysql_pool(server):
    import aiomysql

    return await aiomysql.create_pool(minsize=2, maxsize=2, autocommit=True, **server["mysql"])


def aiomysql_pool_fs(server, on_fork):
    import aiomysql

    import forksafe

    return forksafe.connect_async(aiomysql.create_pool, minsize=2, maxsize=2, autocommit=True,
                                  on_fork=on_fork, **server["mysql"])


async def aiomysql_echo(conn, token):
    async with conn.cursor() as cur:
        await cur.execute("SELECT %s", (token,))
        (value,) = await cur.fetchone()
        return value


async def aiomysql_pool_echo(pool, token):
    async with pool.acquire() as conn:
        return await aiomysql_echo(conn, token)


async def aiomysql_close(conn):
    conn.close()


async def aiomysql_pool_close(pool):
    pool.close()
    await pool.wait_closed()


PG, MARIADB = "postgresql", "mariadb"
CLIENTS = {c.name: c for c in [
    Client("asyncpg-conn", PG, asyncpg_connect, asyncpg_connect_fs, asyncpg_echo, async_close, False),
    Client("asyncpg-pool", PG, asyncpg_pool, asyncpg_pool_fs, asyncpg_pool_echo, async_close, True),
    Client("psycopg-conn", PG, psycopg_connect, psycopg_connect_fs, psycopg_echo, async_close, False),
    Client("psycopg-pool", PG, psycopg_pool, psycopg_pool_fs, psycopg_pool_echo, async_close, True),
    Client("aiomysql-conn", MARIADB, aiomysql_connect, aiomysql_connect_fs, aiomysql_echo, aiomysql_close,
           False),
    Client("aiomysql-pool", MARIADB, aiomysql_pool, aiomysql_pool_fs, aiomysql_pool_echo,
           aiomysql_pool_close, True),
]}
