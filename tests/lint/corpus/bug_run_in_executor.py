"""``loop.run_in_executor(process_pool, f, ...)``: ``f`` runs in a forked worker process."""
import asyncio
from concurrent.futures import ProcessPoolExecutor

import asyncpg
import psycopg2

conn = psycopg2.connect("dbname=app")
pool = None


def crunch(n):
    with conn.cursor() as cur:  # expect: FS101 "run_in_executor at line 24"
        cur.execute("SELECT %s", (n,))
    return asyncio.run(pool.fetchval("SELECT $1", n))  # expect: FS101 "asyncpg.create_pool() made at line 21"


async def main():
    global pool
    executor = ProcessPoolExecutor(max_workers=2)
    pool = await asyncpg.create_pool("postgresql://db/app")
    await pool.fetchval("SELECT 1")
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(executor, crunch, 3)
    await loop.run_in_executor(executor, len, conn)  # expect: FS102


if __name__ == "__main__":
    asyncio.run(main())
