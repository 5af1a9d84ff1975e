"""RQ jobs that use an asyncpg pool made at import, the way an app module keeps its pool.

The worker's parent imports this module (and so makes the pool and runs one query on it at
start-up, as an app checks its database); RQ then forks a work horse per job, and each job runs
``asyncio.run`` on a loop of its own.
"""

import asyncio
import os

import asyncpg

startup_loop = asyncio.new_event_loop()  # the worker's own loop, kept for its life
asyncio.set_event_loop(startup_loop)
pool = startup_loop.run_until_complete(asyncpg.create_pool(os.environ["FS_PG_URL"], min_size=1, max_size=2))
assert startup_loop.run_until_complete(pool.fetchval("SELECT 1")) == 1


async def _echo(token):
    async with pool.acquire() as conn:
        return await asyncio.wait_for(conn.fetchval("SELECT $1::text", token), 5)


def echo(token):
    return asyncio.run(_echo(token))
