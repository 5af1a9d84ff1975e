"""A parent makes and uses an async SQL client on its own event loop, forks 8 children that each
run their own ``asyncio.run``: 100 queries echoing a token only that child can expect, then close
the client; then the parent's client must still work on the parent's loop. Prints one JSON line.

usage: async_children.py CLIENT MODE [CHILDREN] [QUERIES] [CHILD_ACTION]
  CLIENT: a name from async_clients.CLIENTS (asyncpg-conn, asyncpg-pool, psycopg-conn, ...)
  MODE: raw (the driver's own calls; run it under `forksafe run` for zero-code) | forksafe
        (forksafe.connect_async) | forksafe-raise | forksafe-warn (on_fork= given)
  CHILD_ACTION: use (default: queries, then close) | close (close only, before any use) |
        exit (leave it alone and end through a full interpreter shutdown: finalisers, GC)
Server parameters come from $FORKSAFE_ASYNC_SERVER (JSON: dsn and mysql keyword arguments).
"""

import asyncio
import json
import os
import signal
import sys
import threading
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)

from async_clients import CLIENTS  # noqa: E402
from harness.forking import fork_children  # noqa: E402

client_name, mode = sys.argv[1], sys.argv[2]
children = int(sys.argv[3]) if len(sys.argv) > 3 else 8
queries = int(sys.argv[4]) if len(sys.argv) > 4 else 100
child_action = sys.argv[5] if len(sys.argv) > 5 else "use"
server = json.loads(os.environ["FORKSAFE_ASYNC_SERVER"])
client = CLIENTS[client_name]
QUERY_TIMEOUT = 3.0  # a raw child or parent waiting on a broken session gives up here

loop = asyncio.new_event_loop()  # the parent keeps its loop, as a long-lived parent does
asyncio.set_event_loop(loop)


async def parent_make():
    if mode == "raw":
        return await client.make_raw(server)

    policy = {"forksafe": None, "forksafe-raise": "raise", "forksafe-warn": "warn"}[mode]
    made = client.make_forksafe(server, policy)  # the line strict and warn modes must name
    await made  # the parent opens it now, like the raw program
    return made


async def one_round(obj, token):
    # asyncio.wait, not wait_for: wait_for waits for the cancelled query to finish, and a raw driver
    # reading a session another process broke may never let it (seen once under strace on a busy
    # machine: the control then ran into the runner's 150-s timeout)
    query = asyncio.ensure_future(client.echo(obj, token))
    done, _ = await asyncio.wait({query}, timeout=QUERY_TIMEOUT)
    if not done:
        query.cancel()
        raise TimeoutError(f"no reply to {token!r} in {QUERY_TIMEOUT} s")
    got = query.result()
    if got != token:
        raise AssertionError(f"expected {token!r}, got {got!r}")


handle = loop.run_until_complete(parent_make())
loop.run_until_complete(one_round(handle, "parent-before"))
parent_pid = os.getpid()


def child(index):
    signal.alarm(20)  # a raw driver's close can ignore cancellation: end the child regardless

    async def work():
        done = 0
        if child_action == "exit":
            return 0
        try:
            if child_action == "use":
                for i in range(queries):
                    await one_round(handle, f"child-{index}-{i}")
                    done += 1
        finally:
            await asyncio.wait_for(client.close(handle), QUERY_TIMEOUT)
        return done

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        done = asyncio.run(work())
    return {"done": done, "warnings": [f"{w.filename}:{w.lineno}: {w.message}" for w in caught
                                       if "forksafe" in type(w.message).__module__]}


outcome = fork_children(child, children, timeout=60.0,
                        exit_mode="shutdown" if child_action == "exit" else "os_exit")
parent_ok, parent_error = True, ""
try:
    loop.run_until_complete(one_round(handle, "parent-after"))
except Exception as exc:  # what the user would see
    parent_ok, parent_error = False, f"{type(exc).__module__}.{type(exc).__name__}: {exc}"
print(json.dumps({
    "children": len(outcome.children),
    "ok": sum(1 for c in outcome.children if not c.hung and c.exitcode == 0 and not c.error),
    "hung": outcome.hung,
    "errors": [c.error.strip().splitlines()[-1][:300] if c.error else f"exit={c.exitcode} hung={c.hung}"
               for c in outcome.failed],
    "reports": [c.report for c in outcome.children],
    "child_pids": [c.pid for c in outcome.children],
    "parent_ok": parent_ok,
    "parent_error": parent_error,
    "parent_pid": parent_pid,
    "handle_type": f"{type(handle).__module__}.{type(handle).__qualname__}",  # type() sees through proxies
}))
sys.stdout.flush()
threading.Timer(10, os._exit, (0,)).start()  # a raw pool's close can hang: the result is out already
try:
    loop.run_until_complete(asyncio.wait_for(client.close(handle), QUERY_TIMEOUT))
except Exception:
    pass  # a raw parent whose session a child killed may fail to close it cleanly
os._exit(0)
