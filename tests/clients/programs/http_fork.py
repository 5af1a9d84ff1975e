"""A parent makes and uses an HTTP client, then forks workers that use it: the user's exact shape.

    python http_fork.py CLIENT BASE_URL CERT SCENARIO [--install]

The program never imports forksafe unless ``--install`` is given (the explicit one-call way in);
the same file runs unmodified under ``forksafe run``. The last line printed is a JSON summary.

Scenarios:

``children``  the parent opens two keep-alive connections (two requests at once), then 8 forked
              children each send 100 requests carrying their own token, check every reply is
              theirs, and close the client. The parent then sends two at once again: it must get
              its own replies on the *same* two connections (its keep-alive ones survived).
``held-lock`` the same, but a parent thread holds the client's pool lock (the real lock object:
              urllib3's queue mutex and its PoolManager container lock, httpcore's pool lock)
              while the parent forks, as if it were inside the pool at that instant.
``policy``    one child makes one request; it reports the error or warning it got (run with
              FORKSAFE_ON_FORK=raise or warn).
``trace``     one child sends 3 requests, closes the client and exits through a full interpreter
              shutdown (run under strace: the child must write nothing on the parent's sockets).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import time
import uuid
import warnings
from typing import Any

from harness.forking import fork_children
from http_clients import is_async, made_at, make, run_on

CHILDREN = 8
REQUESTS = 100


def main() -> None:
    kind, base, cert, scenario = sys.argv[1:5]
    if "--install" in sys.argv:
        import forksafe.integrations.aiohttp
        import forksafe.integrations.httpx
        import forksafe.integrations.urllib3

        forksafe.integrations.urllib3.install()
        forksafe.integrations.httpx.install()
        forksafe.integrations.aiohttp.install()
    loop = asyncio.new_event_loop() if is_async(kind) else None
    client = make(kind, base, cert, loop)
    summary: dict[str, Any] = {"client": kind, "scenario": scenario, "made_at": made_at(kind)}

    tag = uuid.uuid4().hex[:8]
    before = run_on(loop, client.two_at_once(f"/echo?t=p1-{tag}", f"/echo?t=p2-{tag}"))
    summary["parent_before"] = before
    parent_conns = sorted(conn for _, conn in before)
    summary["parent_two_conns"] = len(set(parent_conns)) == 2

    holder = _hold_pool_lock(client) if scenario == "held-lock" else None
    if scenario in ("children", "held-lock"):
        start_at = time.monotonic() + 0.5  # one clock for every process: all children start together
        outcome = fork_children(lambda i: _child_run(client, i, kind, base, cert, start_at), CHILDREN,
                                timeout=6.0 if holder else 30.0,
                                exit_mode="shutdown" if kind == "aiohttp" else "os_exit")
        summary["children_ok"] = len(outcome.children) - len(outcome.failed)
        summary["children_hung"] = outcome.hung
        summary["child_errors"] = [c.error[-600:] or c.report for c in outcome.failed][:3]
        child_conns = {conn for c in outcome.children if isinstance(c.report, dict)
                       for conn in c.report.get("conns", [])}
        summary["child_conns_disjoint"] = not (child_conns & set(parent_conns))
        summary["inherited_use"] = sorted({c.report.get("inherited_use", "") for c in outcome.children
                                           if isinstance(c.report, dict)})
    elif scenario == "policy":
        outcome = fork_children(lambda i: _child_policy(client, kind), 1, timeout=20.0)
        summary["child"] = outcome.children[0].report or outcome.children[0].error[-800:]
    elif scenario == "trace":
        # under strace on a loaded machine the child (TLS handshakes, then interpreter shutdown) has
        # taken over 20 s: the bound is for a hang, not for slowness
        outcome = fork_children(lambda i: _child_trace(client, kind, base, cert), 1, timeout=60.0,
                                exit_mode="shutdown")
        summary["child_pid"] = outcome.children[0].pid
        summary["child_ok"] = outcome.ok
        summary["child_errors"] = [c.error[-600:] for c in outcome.failed]
    if holder is not None:
        holder.set()

    try:
        after = run_on(loop, client.two_at_once(f"/echo?t=p3-{tag}", f"/echo?t=p4-{tag}"))
        summary["parent_after"] = after
        summary["parent_ok"] = [body for body, _ in after] == [f"p3-{tag}", f"p4-{tag}"]
        summary["parent_same_conns"] = sorted(conn for _, conn in after) == parent_conns
    except Exception as exc:  # the raw control: the parent's connections may be ruined
        summary["parent_ok"] = False
        summary["parent_error"] = f"{type(exc).__name__}: {exc}"
    run_on(loop, client.close())
    print(json.dumps(summary))


def _child_run(client: Any, index: int, kind: str, base: str, cert: str, start_at: float) -> dict[str, Any]:
    """100 requests, each with a token only this child can expect; stop at the first wrong one.

    Children start together (a worker pool busy at once): children that happened to run one
    after another would take turns on a shared socket without showing the bug."""
    time.sleep(max(0.0, start_at - time.monotonic()))
    if kind == "aiohttp":
        return asyncio.run(_child_aiohttp(client, index, base, cert))

    async def run_async() -> dict[str, Any]:
        conns: set[str] = set()
        for i in range(REQUESTS):
            token = f"c{index}-{i}-{os.getpid()}"
            body, conn = await client.get(f"/echo?t={token}")
            if body != token:
                raise AssertionError(f"child {index} request {i}: sent {token!r}, got {body!r}")
            conns.add(conn)
        await client.close()
        return {"ok": REQUESTS, "conns": sorted(conns)}

    if is_async(kind):
        return asyncio.run(run_async())  # each child runs its own event loop
    conns: set[str] = set()
    for i in range(REQUESTS):
        token = f"c{index}-{i}-{os.getpid()}"
        body, conn = client.get(f"/echo?t={token}")
        if body != token:
            raise AssertionError(f"child {index} request {i}: sent {token!r}, got {body!r}")
        conns.add(conn)
    client.close()
    return {"ok": REQUESTS, "conns": sorted(conns)}


async def _child_aiohttp(inherited: Any, index: int, base: str, cert: str) -> dict[str, Any]:
    """An aiohttp child cannot use the parent's session (it belongs to the parent's loop): it
    tries, makes its own, uses it, then closes both, as a worker's shutdown code would."""
    try:
        await inherited.get("/echo?t=inherited")
        refused = ""
    except Exception as exc:
        refused = f"{type(exc).__name__}: {exc}"
    own = make("aiohttp", base, cert)
    conns: set[str] = set()
    try:
        for i in range(REQUESTS):
            token = f"c{index}-{i}-{os.getpid()}"
            body, conn = await own.get(f"/echo?t={token}")
            if body != token:
                raise AssertionError(f"child {index} request {i}: sent {token!r}, got {body!r}")
            conns.add(conn)
    finally:
        await own.close()
        await inherited.close()
    return {"ok": REQUESTS, "conns": sorted(conns), "inherited_use": refused}


def _child_policy(client: Any, kind: str) -> dict[str, Any]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if is_async(kind):
                body, _ = asyncio.run(client.get("/echo?t=policy"))
            else:
                body, _ = client.get("/echo?t=policy")
            error = ""
        except Exception as exc:
            body, error = "", f"{type(exc).__name__}: {exc}"
    found = [w for w in caught if "forksafe" in type(w.message).__module__]
    return {"body": body, "error": error,
            "warnings": [f"{w.filename}:{w.lineno}: {w.message}" for w in found]}


def _child_trace(client: Any, kind: str, base: str, cert: str) -> bool:
    if kind == "aiohttp":  # it cannot use the parent's session: its own, then close both
        asyncio.run(_child_aiohttp(client, 0, base, cert))
        return True

    async def run_async() -> None:
        for i in range(3):
            await client.get(f"/echo?t=trace{i}")
        await client.close()

    if is_async(kind):
        asyncio.run(run_async())
    else:
        for i in range(3):
            client.get(f"/echo?t=trace{i}")
        client.close()
    return True


def _hold_pool_lock(client: Any) -> threading.Event:
    """A parent thread takes the client's own pool locks and keeps them until released."""
    locks = _pool_locks(client)
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        for lock in locks:
            lock.acquire()
        taken.set()
        release.wait(60)
        for lock in reversed(locks):
            lock.release()

    threading.Thread(target=hold, daemon=True).start()
    if not taken.wait(10):
        raise RuntimeError("the lock holder thread did not start")
    return release


def _pool_locks(client: Any) -> list[Any]:
    if client.kind in ("requests", "urllib3"):
        manager = (client.client.get_adapter(client.base).poolmanager
                   if client.kind == "requests" else client.client)
        pool = manager.connection_from_url(client.base)
        return [manager.pools.lock, pool.pool.mutex]
    if client.kind == "httpx":
        return [client.client._transport._pool._optional_thread_lock._lock]
    raise ValueError(f"{client.kind} has no pool lock to hold (httpcore's async pool lock is a no-op)")


if __name__ == "__main__":
    main()
