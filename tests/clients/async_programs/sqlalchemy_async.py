"""An SQLAlchemy async engine made and used by the parent on its loop; 4 forked children run their
own ``asyncio.run`` with 20 own-token queries each through it; then the parent queries again.
Run it plainly (the control) and under ``forksafe run``. Prints one JSON line.

usage: sqlalchemy_async.py asyncpg|aiomysql|psycopg   (server parameters in $FORKSAFE_ASYNC_SERVER)
"""

import asyncio
import json
import multiprocessing
import os
import signal
import sys

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

server = json.loads(os.environ["FORKSAFE_ASYNC_SERVER"])
driver = sys.argv[1]
if driver == "aiomysql":
    url = "mysql+aiomysql://{user}:{password}@{host}:{port}/{db}".format(**server["mysql"])
else:
    url = server["pg_url"].replace("postgresql://", f"postgresql+{driver}://")
engine = create_async_engine(url, pool_size=2)
loop = asyncio.new_event_loop()


async def echo(token):
    async with engine.connect() as conn:
        return (await conn.execute(text("SELECT :t"), {"t": token})).scalar()


async def driver_type():
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        return f"{type(raw.driver_connection).__module__}.{type(raw.driver_connection).__qualname__}"


assert loop.run_until_complete(echo("parent-before")) == "parent-before"
kind = loop.run_until_complete(driver_type())
# every child starts querying at once, so that children sharing the parent's pooled connection (the
# control) interleave on its socket whatever the scheduling, instead of taking turns by luck
start = multiprocessing.Barrier(4)
pids = []
for i in range(4):
    pid = os.fork()
    if pid == 0:
        async def work(i=i):
            for n in range(20):
                token = f"child-{i}-{n}"
                got = await asyncio.wait_for(echo(token), 5)
                assert got == token, (token, got)

        try:
            signal.alarm(30)  # a child stuck on the shared socket is killed, and counts as broken
            start.wait(10)
            asyncio.run(work())
            os._exit(0)
        except BaseException:
            os._exit(1)
    pids.append(pid)
codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]


def _stuck(signum, frame):
    raise TimeoutError("the parent's query did not return (its connection was shared)")


signal.signal(signal.SIGALRM, _stuck)  # a blocking read on a broken socket cannot be cancelled
signal.alarm(20)
try:
    parent = loop.run_until_complete(asyncio.wait_for(echo("parent-after"), 5)) == "parent-after"
except Exception as exc:
    parent = f"{type(exc).__name__}: {exc}"[:300]
signal.alarm(0)
print(json.dumps({"children_ok": codes.count(0), "parent": parent, "driver_connection": kind}))
os._exit(0)  # the children's fate is measured; the parent's own shutdown is not under test
