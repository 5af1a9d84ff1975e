"""forksafe.connect_async against the raw async driver: one ``SELECT 1`` round trip.

Run: ``python benchmarks/bench_async.py [--rounds N] [--queries N] [--fork-rounds N]``. It starts a private
PostgreSQL server (harness/servers.py), so it needs what ``scripts/setup.sh`` installs.

Per driver (asyncpg ``fetchval``, psycopg ``AsyncConnection.execute`` + ``fetchone``, and the
same through their pools), a raw object and a forksafe proxy are opened on one event loop; each
round runs every variant once, in a shuffled order, ``--queries`` round trips each, so machine
noise hits all variants alike. We report medians of the per-round means, the ratio of medians,
Then the fork itself: fork + child exit + wait in a process holding 100 open asyncpg connections,
with forksafe (100 proxies, so 100 leases and the event-loop step) and without, measured in two
worker processes run alternately, round after round (paired processes, not the hook timed alone).

the median of the per-round ratios (each round's two variants ran close together in time, so it is
the steadier figure on a busy machine) and their spread (min..max), which says how much to trust a
ratio near 1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from typing import Any, Awaitable, Callable

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import asyncpg
import psycopg
from harness.servers import running
from psycopg_pool import AsyncConnectionPool

import forksafe

Shape = Callable[[Any, int], Awaitable[float]]


async def _asyncpg_conn(conn: Any, n: int) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        await conn.fetchval("SELECT 1")
    return (time.perf_counter() - t0) / n * 1e6


async def _asyncpg_pool(pool: Any, n: int) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        async with pool.acquire() as conn:
            await conn.fetchval("SELECT 1")
    return (time.perf_counter() - t0) / n * 1e6


async def _psycopg_conn(conn: Any, n: int) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        cur = await conn.execute("SELECT 1")
        await cur.fetchone()
    return (time.perf_counter() - t0) / n * 1e6


async def _psycopg_pool(pool: Any, n: int) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        async with pool.connection() as conn:
            cur = await conn.execute("SELECT 1")
            await cur.fetchone()
    return (time.perf_counter() - t0) / n * 1e6


async def _open(url: str, dsn: str) -> dict[tuple[str, str], tuple[Any, Shape]]:
    async def pg_pool() -> Any:
        pool = AsyncConnectionPool(dsn, min_size=1, max_size=1, open=False)
        await pool.open(wait=True)
        return pool

    made: dict[tuple[str, str], tuple[Any, Shape]] = {
        ("asyncpg conn", "raw"): (await asyncpg.connect(url), _asyncpg_conn),
        ("asyncpg conn", "forksafe"): (await forksafe.connect_async(asyncpg.connect, url), _asyncpg_conn),
        ("asyncpg pool", "raw"): (await asyncpg.create_pool(url, min_size=1, max_size=1), _asyncpg_pool),
        ("asyncpg pool", "forksafe"): (
            await forksafe.connect_async(asyncpg.create_pool, url, min_size=1, max_size=1), _asyncpg_pool),
        ("psycopg conn", "raw"): (await psycopg.AsyncConnection.connect(dsn, autocommit=True), _psycopg_conn),
        ("psycopg conn", "forksafe"): (
            await forksafe.connect_async(psycopg.AsyncConnection.connect, dsn, autocommit=True),
            _psycopg_conn),
        ("psycopg pool", "raw"): (await pg_pool(), _psycopg_pool),
        ("psycopg pool", "forksafe"): (
            await forksafe.connect_async(AsyncConnectionPool, dsn, min_size=1, max_size=1), _psycopg_pool),
    }
    return made


Row = tuple[str, float, float, float, float, float, float]


async def bench(url: str, dsn: str, rounds: int, queries: int) -> list[Row]:
    made = await _open(url, dsn)
    for obj, shape in made.values():  # warm up: statement caches, the proxies' first-use path
        await shape(obj, queries)
    samples: dict[tuple[str, str], list[float]] = {k: [] for k in made}
    for _ in range(rounds):
        order = list(made)
        random.shuffle(order)
        for key in order:
            obj, shape = made[key]
            samples[key].append(await shape(obj, queries))
    rows = []
    for name in dict.fromkeys(k[0] for k in made):
        raw, safe = samples[(name, "raw")], samples[(name, "forksafe")]
        per_round = [s / r for s, r in zip(safe, raw)]
        rows.append((name, statistics.median(raw), statistics.median(safe),
                     statistics.median(safe) / statistics.median(raw), statistics.median(per_round),
                     min(per_round), max(per_round)))
    for obj, _ in made.values():
        await obj.close()
    return rows


class _NoIO:
    """A connection whose query costs nothing: what is left to time is the proxy's own path."""

    async def fetchval(self, query: str) -> int:
        return 1


async def proxy_cost(rounds: int, calls: int) -> tuple[float, float, float]:
    """ns per ``await conn.fetchval(...)``: the raw object, the proxy, and the proxy minus raw."""
    # The class as factory: its methods are known before opening, as for the real drivers.
    raw, proxy = _NoIO(), await forksafe.connect_async(_NoIO)
    samples: dict[str, list[float]] = {"raw": [], "forksafe": []}
    for _ in range(rounds):
        for name in random.sample(list(samples), 2):
            obj = raw if name == "raw" else proxy
            t0 = time.perf_counter()
            for _ in range(calls):
                await obj.fetchval("SELECT 1")
            samples[name].append((time.perf_counter() - t0) / calls * 1e9)
    raw_ns, safe_ns = statistics.median(samples["raw"]), statistics.median(samples["forksafe"])
    return raw_ns, safe_ns, safe_ns - raw_ns


FORK_CONNECTIONS = 100
FORKS_PER_WORKER = 40


def fork_worker(mode: str, url: str) -> None:
    """One side of the fork pair: open the connections, then time forks; print the median (us)."""
    async def open_all() -> list[Any]:
        if mode == "raw":
            return [await asyncpg.connect(url) for _ in range(FORK_CONNECTIONS)]
        return [await forksafe.connect_async(asyncpg.connect, url) for _ in range(FORK_CONNECTIONS)]

    loop = asyncio.new_event_loop()
    conns = loop.run_until_complete(open_all())
    times = []
    for _ in range(FORKS_PER_WORKER):
        t0 = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        times.append((time.perf_counter() - t0) * 1e6)
    print(statistics.median(times))
    sys.stdout.flush()
    for conn in conns:
        loop.run_until_complete(conn.close())
    os._exit(0)


def bench_fork(url: str, rounds: int) -> tuple[float, float, float, float, float]:
    import subprocess

    samples: dict[str, list[float]] = {"raw": [], "forksafe": []}
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    for _ in range(rounds):
        for mode in random.sample(list(samples), 2):
            out = subprocess.run([sys.executable, __file__, "--fork-worker", mode, url], env=env,
                                 capture_output=True, text=True, timeout=300, check=True).stdout
            samples[mode].append(float(out.split()[-1]))
    per_round = [s / r for s, r in zip(samples["forksafe"], samples["raw"])]
    raw, safe = statistics.median(samples["raw"]), statistics.median(samples["forksafe"])
    return raw, safe, statistics.median(per_round), min(per_round), max(per_round)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--fork-rounds", type=int, default=11)
    parser.add_argument("--fork-worker", nargs=2, metavar=("MODE", "URL"), help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.fork_worker:
        fork_worker(*opts.fork_worker)
    with running(["postgresql"]) as servers:
        pg = servers["postgresql"]
        rows = asyncio.run(bench(pg.url, pg.pg_dsn, opts.rounds, opts.queries))
        fork = bench_fork(pg.url, opts.fork_rounds) if opts.fork_rounds else None
    print(f"async SELECT 1 round trip, {opts.rounds} interleaved rounds x {opts.queries} queries, medians")
    print(f"{'client':<14} {'raw us':>8} {'forksafe us':>12} {'ratio':>7} {'per-round ratio: median':>24}"
          "  (min..max)")
    for name, raw, safe, ratio, median, low, high in rows:
        print(f"{name:<14} {raw:>8.1f} {safe:>12.1f} {ratio:>6.3f}x {median:>23.3f}x"
              f"  ({low:.3f}..{high:.3f})")
    raw_ns, safe_ns, extra = asyncio.run(proxy_cost(opts.rounds, 20000))
    print(f"\nthe proxy's own path, no I/O ({opts.rounds} interleaved rounds x 20000 calls, medians):")
    print(f"await conn.fetchval(): raw {raw_ns:.0f} ns, forksafe {safe_ns:.0f} ns: "
          f"{extra:.0f} ns added per call")
    for name, raw, *_ in rows:
        print(f"  = {extra / (raw * 1000) * 100:.2f}% of a {name} round trip measured above ({raw:.0f} us)")
    if fork is not None:
        raw_us, safe_us, median, low, high = fork
        print(f"\nfork + exit + wait with {FORK_CONNECTIONS} open asyncpg connections, {opts.fork_rounds} "
              f"alternated rounds of paired processes x {FORKS_PER_WORKER} forks, medians:")
        print(f"raw {raw_us:.0f} us, forksafe {safe_us:.0f} us: {safe_us / raw_us:.3f}x; "
              f"per-round ratio median {median:.3f}x ({low:.3f}..{high:.3f})")


if __name__ == "__main__":
    main()
