"""One redis-py client made and used by a parent, then used by 8 forked children (the issue's shape).

    python redis_fork.py CLIENT MODE

CLIENT: ``sync-pool`` (``redis.Redis``, a pool of >= 2 connections), ``sync-single``
(``single_connection_client=True``), ``async-pool`` (``redis.asyncio.Redis``, >= 2 pooled
connections, the parent on one event loop of its own), ``async-single``. MODE: ``raw`` (the program
as users write it; run it under ``forksafe run`` for zero-code) or ``install`` (the one explicit
call, ``forksafe.integrations.redis.install()``).

Each child runs ``FS_REQUESTS`` ECHOs of its own token (async children in their own
``asyncio.run``), checks every reply, reports the server's id of its connection, then closes the
client. Afterwards the parent checks its own replies on the same client. One JSON line on stdout.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, ROOT)

from harness.forking import fork_children  # noqa: E402

CLIENT, MODE = sys.argv[1], sys.argv[2]
URL = os.environ["FS_REDIS_URL"]
CHILDREN = int(os.environ.get("FS_CHILDREN", "8"))
REQUESTS = int(os.environ.get("FS_REQUESTS", "100"))

if MODE == "install":
    from forksafe.integrations import redis as forksafe_redis

    forksafe_redis.install()

import redis  # noqa: E402
import redis.asyncio  # noqa: E402


def check(got: Any, want: str) -> None:
    if got != want:
        raise RuntimeError(f"cross-talk: asked Redis to echo {want!r}, got {got!r}")


# -- sync -----------------------------------------------------------------------------------------

def run_sync() -> dict[str, Any]:
    r = redis.Redis.from_url(URL, decode_responses=True, socket_timeout=5,
                             single_connection_client=CLIENT == "sync-single")
    if CLIENT == "sync-pool":  # the parent holds two pooled connections at once, then returns them
        pool = r.connection_pool
        held = [pool.get_connection() for _ in range(2)]
        for conn in held:
            conn.send_command("PING")
            conn.read_response()
        for conn in held:
            pool.release(conn)
    check(r.echo("parent-before"), "parent-before")
    parent_ids = sorted({int(r.client_id()) for _ in range(4)})

    def child(index: int) -> dict[str, Any]:
        token = f"child-{index}-{os.getpid()}"
        for n in range(REQUESTS):
            check(r.echo(f"{token}-{n}"), f"{token}-{n}")
        ident = int(r.client_id())
        r.close()
        return {"pid": os.getpid(), "client_id": ident}

    outcome = fork_children(child, CHILDREN, timeout=40)
    parent_ok, parent_error = True, ""
    try:
        for n in range(20):
            check(r.echo(f"parent-after-{n}"), f"parent-after-{n}")
    except Exception as exc:
        parent_ok, parent_error = False, f"{type(exc).__name__}: {exc}"
    return report(outcome, parent_ok, parent_error, parent_ids)


# -- asyncio --------------------------------------------------------------------------------------

def run_async() -> dict[str, Any]:
    loop = asyncio.new_event_loop()  # the parent's loop, kept for its use after the fork
    r = redis.asyncio.Redis.from_url(URL, decode_responses=True, socket_timeout=5,
                                     single_connection_client=CLIENT == "async-single")

    async def before() -> list[int]:
        words = [f"warm-{i}" for i in range(4)]  # concurrent: the pool opens several connections
        for got, want in zip(await asyncio.gather(*(r.echo(w) for w in words)), words):
            check(got, want)
        return sorted({int(await r.client_id()) for _ in range(4)})

    parent_ids = loop.run_until_complete(before())
    if CLIENT == "async-pool":
        assert len(r.connection_pool._available_connections) >= 2, "the parent's pool holds < 2"

    def child(index: int) -> dict[str, Any]:
        token = f"child-{index}-{os.getpid()}"

        async def main() -> dict[str, Any]:
            for n in range(REQUESTS):
                check(await r.echo(f"{token}-{n}"), f"{token}-{n}")
            ident = int(await r.client_id())
            await r.aclose()
            return {"pid": os.getpid(), "client_id": ident}

        async def bounded() -> dict[str, Any]:
            return await asyncio.wait_for(main(), 20)

        return asyncio.run(bounded())

    outcome = fork_children(child, CHILDREN, timeout=40)

    async def after() -> None:
        words = [f"parent-after-{n}" for n in range(20)]
        for got, want in zip(await asyncio.gather(*(r.echo(w) for w in words)), words):
            check(got, want)

    parent_ok, parent_error = True, ""
    try:
        loop.run_until_complete(asyncio.wait_for(after(), 10))
    except BaseException as exc:
        parent_ok, parent_error = False, f"{type(exc).__name__}: {exc}"
    return report(outcome, parent_ok, parent_error, parent_ids)


def report(outcome: Any, parent_ok: bool, parent_error: str, parent_ids: list[int]) -> dict[str, Any]:
    return {
        "children_ok": len(outcome.children) - len(outcome.failed),
        "children": len(outcome.children),
        "hung": outcome.hung,
        "errors": [c.error.strip().splitlines()[-1] if c.error.strip() else f"exit {c.exitcode}"
                   for c in outcome.failed],
        "reports": [c.report for c in outcome.children if c.report],
        "parent_ok": parent_ok,
        "parent_error": parent_error,
        "parent_ids": parent_ids,
        "parent_pid": os.getpid(),
    }


if __name__ == "__main__":
    result = run_async() if CLIENT.startswith("async") else run_sync()
    print(json.dumps(result), flush=True)
    os._exit(0)  # the raw controls may leave a client in a state whose teardown would hang
