"""redis-py GET with forksafe's redis integration installed vs the raw client, sync and asyncio.

Run: ``python benchmarks/bench_redis.py [--rounds 200] [--gets 200]``. Starts its own Redis
(harness.servers). The integration patches redis-py's classes, so each round runs both cases back
to back on the same connected client (``install()`` / ``uninstall()`` between them, outside the
timing; which goes first alternates), timing ``--gets`` GETs of one small key over loopback.
Prints, for wall time and for the client process's CPU time (which a loaded machine disturbs
less), the median per-GET time of each case, the ratio of the medians, and the per-round ratios'
median and middle half.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import timeit
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import redis
import redis.asyncio
from harness.servers import start_redis

from forksafe.integrations import redis as forksafe_redis


def _toggle(case: str) -> None:
    if case == "forksafe":
        forksafe_redis.install()
    else:
        forksafe_redis.uninstall()


def measure_sync(url: str, rounds: int, gets: int) -> dict[str, list[float]]:
    r = redis.Redis.from_url(url)
    r.set("k", "v")
    out: dict[str, list[float]] = {"raw": [], "forksafe": [], "raw-cpu": [], "forksafe-cpu": []}
    for i in range(rounds):
        for case in (("raw", "forksafe") if i % 2 == 0 else ("forksafe", "raw")):
            _toggle(case)
            r.get("k")
            start, cpu = time.perf_counter(), time.process_time()
            for _ in range(gets):
                r.get("k")
            out[case].append((time.perf_counter() - start) / gets)
            out[case + "-cpu"].append((time.process_time() - cpu) / gets)
    forksafe_redis.uninstall()
    r.close()
    return out


def measure_async(url: str, rounds: int, gets: int) -> dict[str, list[float]]:
    async def run() -> dict[str, list[float]]:
        r = redis.asyncio.Redis.from_url(url)
        await r.set("k", "v")
        out: dict[str, list[float]] = {"raw": [], "forksafe": [], "raw-cpu": [], "forksafe-cpu": []}
        for i in range(rounds):
            for case in (("raw", "forksafe") if i % 2 == 0 else ("forksafe", "raw")):
                _toggle(case)
                await r.get("k")
                start, cpu = time.perf_counter(), time.process_time()
                for _ in range(gets):
                    await r.get("k")
                out[case].append((time.perf_counter() - start) / gets)
                out[case + "-cpu"].append((time.process_time() - cpu) / gets)
        forksafe_redis.uninstall()
        await r.aclose()
        return out

    return asyncio.run(run())


def report(name: str, out: dict[str, list[float]]) -> None:
    for suffix, what in (("", "wall"), ("-cpu", "client CPU")):
        raw_t, fs_t = out["raw" + suffix], out["forksafe" + suffix]
        ratios = sorted(f / r for f, r in zip(fs_t, raw_t) if r > 0)
        quart = len(ratios) // 4
        raw, fs = statistics.median(raw_t), statistics.median(fs_t)
        print(f"{name:>6} {what:>10}: raw {raw * 1e6:7.2f} us/GET  forksafe {fs * 1e6:7.2f} us/GET  "
              f"ratio of medians {fs / raw:.3f}x; per-round ratios: median {statistics.median(ratios):.3f}x, "
              f"middle half {ratios[quart]:.3f}..{ratios[-quart - 1]:.3f}")


def patched_calls_per_get(url: str) -> dict[str, float]:
    """How many of forksafe's wrappers one GET goes through (counted, sync and async)."""
    import collections

    counts: collections.Counter[str] = collections.Counter()
    ours = forksafe_redis.__file__

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code.co_filename == ours:
            counts[frame.f_code.co_name] += 1

    forksafe_redis.install()
    try:
        r = redis.Redis.from_url(url)
        r.get("k")
        sys.setprofile(profile)
        for _ in range(100):
            r.get("k")
        sys.setprofile(None)
        sync_calls = sum(counts.values()) / 100
        r.close()
        counts.clear()

        async def run() -> float:
            a = redis.asyncio.Redis.from_url(url)
            await a.get("k")
            sys.setprofile(profile)
            for _ in range(100):
                await a.get("k")
            sys.setprofile(None)
            await a.aclose()
            return sum(counts.values()) / 100

        async_calls = asyncio.run(run())
    finally:
        forksafe_redis.uninstall()
    return {"sync": sync_calls, "async": async_calls}


def added_ns_per_call(url: str) -> float:
    """What forksafe adds to one pool checkout and return (``get_connection`` + ``release``, which
    every command makes; no network I/O), best of 7."""
    def best() -> float:
        pool = redis.ConnectionPool.from_url(url)
        pool.release(pool.get_connection())

        def cycle() -> None:
            pool.release(pool.get_connection())

        n = 20_000
        result = min(timeit.repeat(cycle, number=n, repeat=7)) / n
        pool.disconnect()
        return result

    forksafe_redis.uninstall()
    raw = best()
    forksafe_redis.install()
    try:
        patched = best()
    finally:
        forksafe_redis.uninstall()
    return (patched - raw) * 1e9


def fork_cost(url: str, rounds: int, connections: int, forks: int = 20) -> dict[str, list[float]]:
    """Fork + exit + wait with ``connections`` open redis connections, made raw (no lease) or with
    the integration installed (leased: the child quarantines and lets go of each), interleaved.

    The child exits at once: what differs is forksafe's at-fork work for those connections.
    """
    out: dict[str, list[float]] = {"raw": [], "leased": []}
    try:
        for i in range(rounds):
            for case in (("raw", "leased") if i % 2 == 0 else ("leased", "raw")):
                _toggle("forksafe" if case == "leased" else "raw")
                pool = redis.ConnectionPool.from_url(url, max_connections=connections + 1)
                held = [pool.get_connection() for _ in range(connections)]
                for conn in held:
                    conn.send_command("PING")
                    conn.read_response()
                times = []
                for _ in range(forks):
                    start = time.perf_counter()
                    pid = os.fork()
                    if pid == 0:
                        os._exit(0)
                    os.waitpid(pid, 0)
                    times.append(time.perf_counter() - start)
                out[case].append(statistics.median(times))
                for conn in held:
                    pool.release(conn)
                pool.disconnect()
    finally:
        forksafe_redis.uninstall()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--gets", type=int, default=200)
    parser.add_argument("--fork-connections", type=int, default=100)
    args = parser.parse_args()
    server = start_redis()
    try:
        print(f"redis-py {redis.__version__}, Python {sys.version.split()[0]}, {args.rounds} rounds x "
              f"{args.gets} GETs per case")
        sync_out = measure_sync(server.url, args.rounds, args.gets)
        report("sync", sync_out)
        async_out = measure_async(server.url, args.rounds, args.gets)
        report("async", async_out)
        calls, added = patched_calls_per_get(server.url), added_ns_per_call(server.url)
        raw_cpu = statistics.median(sync_out["raw-cpu"])
        print(f"forksafe's wrapped calls per GET: sync {calls['sync']:.0f}, async {calls['async']:.0f}; "
              f"added to a sync checkout + return: {added:.0f} ns = {added * 1e-9 / raw_cpu * 100:.2f}% "
              f"of a raw sync GET's client CPU ({raw_cpu * 1e6:.1f} us)")
        forks = fork_cost(server.url, 10, args.fork_connections)
        raw, leased = statistics.median(forks["raw"]), statistics.median(forks["leased"])
        diffs = sorted(f - r for f, r in zip(forks["leased"], forks["raw"]))
        print(f"  fork with {args.fork_connections} open redis connections: raw {raw * 1e3:.2f} ms, leased "
              f"{leased * 1e3:.2f} ms; per-round difference median {statistics.median(diffs) * 1e6:.0f} us "
              f"({diffs[0] * 1e6:.0f}..{diffs[-1] * 1e6:.0f} us)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
