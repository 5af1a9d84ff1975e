"""Smaller redis-py situations, one per run: ``python redis_cases.py CASE MODE`` (MODE: raw | install).

* ``two-loops``: one module-level redis.asyncio client used by two ``asyncio.run`` calls in turn
  (a script, a test suite with a loop per test): per event loop, not only per process.
* ``lock-held``: a parent thread holds the sync pool's lock while the main thread forks; the child
  then uses the pool (redis-py resets it under that lock: the child would wait forever).
* ``pubsub``: a ``PubSub`` subscribed by the parent, used by a child (a connection outside the pool).

One JSON line on stdout: ``{"ok": bool, "error": str, ...}``. Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import sys
import threading
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, ROOT)

from harness.forking import fork_children  # noqa: E402

CASE, MODE = sys.argv[1], sys.argv[2]
URL = os.environ["FS_REDIS_URL"]

if MODE == "install":
    from forksafe.integrations import redis as forksafe_redis

    forksafe_redis.install()

import redis  # noqa: E402
import redis.asyncio  # noqa: E402


def two_loops() -> dict[str, Any]:
    r = redis.asyncio.Redis.from_url(URL, decode_responses=True, socket_timeout=5)

    async def use(tag: str) -> None:
        words = [f"{tag}-{i}" for i in range(10)]
        got = await asyncio.wait_for(asyncio.gather(*(r.echo(w) for w in words)), 10)
        if list(got) != words:
            raise RuntimeError(f"cross-talk: {got!r}")

    asyncio.run(use("first"))
    asyncio.run(use("second"))
    return {}


def lock_held() -> dict[str, Any]:
    r = redis.Redis.from_url(URL, decode_responses=True, socket_timeout=5)
    r.echo("parent")
    pool = r.connection_pool
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with pool._lock:
            taken.set()
            release.wait(30)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    taken.wait(10)

    def child(index: int) -> str:
        return str(r.echo(f"child-{index}"))

    outcome = fork_children(child, 2, timeout=8)  # raw: they wait forever
    release.set()
    thread.join(10)
    bad = outcome.failed
    if bad:
        raise RuntimeError(f"{len(bad)} children failed: hung={outcome.hung} {bad[0].error[-300:]}")
    return {"replies": [c.report for c in outcome.children]}


def pubsub() -> dict[str, Any]:
    r = redis.Redis.from_url(URL, decode_responses=True, socket_timeout=5)
    channel = f"chan-{os.getpid()}"
    ps = r.pubsub()
    ps.subscribe(channel)
    ps.get_message(timeout=2)  # the subscribe confirmation, read by the parent

    published = multiprocessing.Barrier(8)

    def child(index: int) -> str:
        # Subscribed through the inherited PubSub, publish one message of our own, then read until
        # it arrives. Each child needs its own subscription: on a shared socket each message is
        # read by whichever child reads first. All children publish before any reads, so that on
        # a shared socket the first reader takes the others' messages too, whatever the timing
        # (without the barrier, children scheduled one after another on a loaded machine could
        # each read their own message back, and the raw control would pass by luck).
        ps.get_message(timeout=0.2)
        mine = f"hello-{os.getpid()}"
        redis.Redis.from_url(URL, decode_responses=True).publish(channel, mine)
        published.wait(timeout=10)
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            message = ps.get_message(timeout=0.5)
            if message and message["type"] == "message" and message["data"] == mine:
                return mine
        raise RuntimeError(f"{mine!r} never reached this child's subscription")

    outcome = fork_children(child, 8, timeout=20)
    r.publish(channel, "to-parent")
    parent = None
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and parent is None:
        message = ps.get_message(timeout=0.5)
        if message and message["type"] == "message" and message["data"] == "to-parent":
            parent = message["data"]
    if outcome.failed or parent is None:
        raise RuntimeError(f"children: {outcome.summary()}; parent got {parent!r}")
    return {}


if __name__ == "__main__":
    cases = {"two-loops": two_loops, "lock-held": lock_held, "pubsub": pubsub}
    try:
        result = {"ok": True, "error": "", **cases[CASE]()}
    except BaseException as exc:
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(result), flush=True)
    os._exit(0)
