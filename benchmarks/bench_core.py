"""forksafe.connect against the raw driver: a SELECT 1 round trip, and the at-fork hook's cost.

Run: ``python benchmarks/bench_core.py [--rounds N] [--queries N]``. It starts private PostgreSQL and
MariaDB servers (harness/servers.py), so it needs what ``scripts/setup.sh`` installs.

Rounds are interleaved (every variant once per round, in a shuffled order) so machine noise hits
all variants alike; we report medians of per-round means and ratios against the raw driver.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from typing import Any, Callable

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# Everything but forksafe is imported first: stdlib modules register at-fork hooks of their own
# (random reseeds, logging re-makes its locks) and must not fall between our two marks.
import MySQLdb  # noqa: F401
import psycopg2  # noqa: F401
from harness.drivers import BY_NAME
from harness.servers import running

# A hook registered just before forksafe's and one just after: the gap, measured in the child, is
# forksafe's at-fork work alone (hooks run in registration order).
_marks: dict[str, int] = {}
os.register_at_fork(after_in_child=lambda: _marks.__setitem__("start", time.perf_counter_ns()))
import forksafe  # noqa: E402

os.register_at_fork(after_in_child=lambda: _marks.__setitem__("end", time.perf_counter_ns()))


def _reused_cursor(conn: Any, n: int) -> float:
    cur = conn.cursor()
    t0 = time.perf_counter()
    for _ in range(n):
        cur.execute("SELECT 1")
        cur.fetchone()
    return (time.perf_counter() - t0) / n * 1e6


def _new_cursor(conn: Any, n: int) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        cur = conn.cursor()
        cur.execute("SELECT 1")
        cur.fetchone()
        cur.close()
    return (time.perf_counter() - t0) / n * 1e6


def bench_round_trips(
    servers: dict[str, Any], rounds: int, queries: int
) -> list[tuple[str, str, float, float]]:
    variants: dict[tuple[str, str, str], Callable[[], float]] = {}
    for driver in ("psycopg2", "MySQLdb"):
        spec = BY_NAME[driver]
        args, kwargs = spec.connect_args(servers[spec.server])
        raw = spec.connect_fn(*args, **kwargs)
        safe = forksafe.connect(spec.connect_fn, *args, **kwargs)
        for conn_name, conn in (("raw", raw), ("forksafe", safe)):
            for shape, fn in (("reused cursor", _reused_cursor), ("new cursor", _new_cursor)):
                variants[(driver, shape, conn_name)] = (lambda fn=fn, conn=conn: fn(conn, queries))
    for fn in variants.values():  # warm up
        fn()
    samples: dict[tuple[str, str, str], list[float]] = {k: [] for k in variants}
    for _ in range(rounds):
        order = list(variants)
        random.shuffle(order)
        for key in order:
            samples[key].append(variants[key]())
    rows = []
    for driver in ("psycopg2", "MySQLdb"):
        for shape in ("reused cursor", "new cursor"):
            raw_us = statistics.median(samples[(driver, shape, "raw")])
            safe_us = statistics.median(samples[(driver, shape, "forksafe")])
            rows.append((driver, shape, raw_us, safe_us))
    return rows


def bench_fork_hook(servers: dict[str, Any], connections: int, forks: int) -> tuple[float, float]:
    """Median forksafe at-fork work in the child, and median fork+exit+wait, with N live connections."""
    spec = BY_NAME["MySQLdb"]
    args, kwargs = spec.connect_args(servers["mariadb"])
    live = [forksafe.connect(spec.connect_fn, *args, **kwargs) for _ in range(connections)]
    for conn in live:
        conn.cursor().execute("SELECT 1")  # open, so each holds a leased socket
    hook_ns: list[int] = []
    fork_us: list[float] = []
    for _ in range(forks):
        r, w = os.pipe()
        t0 = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os.write(w, str(_marks["end"] - _marks["start"]).encode())
            os._exit(0)
        os.waitpid(pid, 0)
        fork_us.append((time.perf_counter() - t0) * 1e6)
        os.close(w)
        hook_ns.append(int(os.read(r, 64)))
        os.close(r)
    for conn in live:
        conn.close()
    return statistics.median(hook_ns) / 1000, statistics.median(fork_us)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--queries", type=int, default=1500)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--forks", type=int, default=60)
    opts = parser.parse_args()
    with running(["postgresql", "mariadb"]) as servers:
        rows = bench_round_trips(servers, opts.rounds, opts.queries)
        hook_us, fork_us = bench_fork_hook(servers, opts.connections, opts.forks)
    print(f"\nSELECT 1 round trip, median of {opts.rounds} interleaved rounds x {opts.queries} queries (us)")
    print(f"{'driver':<10} {'cursor':<14} {'raw':>8} {'forksafe':>9} {'ratio':>7}")
    for driver, shape, raw_us, safe_us in rows:
        print(f"{driver:<10} {shape:<14} {raw_us:8.1f} {safe_us:9.1f} {safe_us / raw_us:6.3f}x")
    print(f"\nAt-fork hook with {opts.connections} live connections, median of {opts.forks} forks")
    print(f"forksafe hook in child: {hook_us:.1f} us; fork + exit + wait: {fork_us:.0f} us; "
          f"hook = {100 * hook_us / fork_us:.2f}% of a fork")


if __name__ == "__main__":
    main()
