"""A Celery app whose tasks use an asyncpg pool made and used at import by the worker's parent.

``celery -A celery_async_app worker -P prefork`` imports this module in the worker's main
process, which opens the pool on its own loop and queries it; the prefork pool then forks its
children, and each task runs ``asyncio.run`` on a loop of its own.
"""

import asyncio
import os

import asyncpg
from celery import Celery

app = Celery("celery_async_app", broker=os.environ["FS_BROKER"], backend=os.environ["FS_BROKER"])
app.conf.update(task_default_queue=os.environ["FS_QUEUE"], result_expires=600,
                broker_connection_retry_on_startup=True, worker_hijack_root_logger=False)

startup_loop = asyncio.new_event_loop()  # the worker's own loop, kept for its life
asyncio.set_event_loop(startup_loop)
pool = startup_loop.run_until_complete(asyncpg.create_pool(os.environ["FS_PG_URL"], min_size=1, max_size=2))
assert startup_loop.run_until_complete(pool.fetchval("SELECT 1")) == 1


async def _echo(token):
    async with pool.acquire() as conn:
        return await asyncio.wait_for(conn.fetchval("SELECT $1::text", token), 5)


@app.task(name="celery_async_app.echo")
def echo(token):
    """[pid, the token as the database echoed it]."""
    return [os.getpid(), asyncio.run(_echo(token))]
