"""The safe shapes: the default executor and a ThreadPoolExecutor run ``f`` in threads of this
process; the process pool's worker connects for itself."""
import asyncio
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import asyncpg
import psycopg2

conn = psycopg2.connect("dbname=app")


def query(n):
    with conn.cursor() as cur:
        cur.execute("SELECT %s", (n,))


def crunch(n):
    async def one():
        pool = await asyncpg.create_pool("postgresql://db/app")
        return await pool.fetchval("SELECT $1", n)
    return asyncio.run(one())


async def main():
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, query, 1)
    with ThreadPoolExecutor() as threads:
        await loop.run_in_executor(threads, query, 2)
    with ProcessPoolExecutor() as processes:
        await loop.run_in_executor(processes, crunch, 3)


if __name__ == "__main__":
    asyncio.run(main())
