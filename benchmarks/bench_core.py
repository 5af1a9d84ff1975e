"""forksafe.connect against the raw driver: a SELECT 1 round trip, reused cursor and new cursor.

Run: ``python benchmarks/bench_core.py [--rounds N] [--queries N]``. It starts private PostgreSQL and
MariaDB servers (harness/servers.py), so it needs what ``scripts/setup.sh`` installs. The cost at
fork time is ``bench_fork.py``'s.

Each round runs, for every driver and cursor shape in a shuffled order, a batch through the raw
driver and one through forksafe back to back (which goes first alternates), so both meet the same
machine noise; the figure is the median of the rounds' ratios, with their quartiles as spread.
On a shared 2-vCPU machine the wall clock of a loopback round trip is dominated by when the
server's process gets a CPU, so a second figure is given beside it: 1 + forksafe's extra client
CPU time per query (``time.thread_time``: the Python work and the system calls, where forksafe's
cost lives) over the raw query's wall time, i.e. the ratio if forksafe's work simply added to the
round trip.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from typing import Any, NamedTuple

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import MySQLdb  # noqa: F401
import psycopg  # noqa: F401
import psycopg2  # noqa: F401
from harness.drivers import BY_NAME
from harness.servers import running

import forksafe
from _report import figure

DRIVERS = ("psycopg2", "psycopg", "MySQLdb")
TARGETS = {"reused cursor": 1.02, "new cursor": 1.05}


Timing = tuple[float, float]  # (wall us, client CPU us) per query


def _reused_cursor(conn: Any, n: int) -> Timing:
    cur = conn.cursor()
    t0, c0 = time.perf_counter(), time.thread_time()
    for _ in range(n):
        cur.execute("SELECT 1")
        cur.fetchone()
    return (time.perf_counter() - t0) / n * 1e6, (time.thread_time() - c0) / n * 1e6


def _new_cursor(conn: Any, n: int) -> Timing:
    t0, c0 = time.perf_counter(), time.thread_time()
    for _ in range(n):
        cur = conn.cursor()
        cur.execute("SELECT 1")
        cur.fetchone()
        cur.close()
    return (time.perf_counter() - t0) / n * 1e6, (time.thread_time() - c0) / n * 1e6


SHAPES = {"reused cursor": _reused_cursor, "new cursor": _new_cursor}


class Row(NamedTuple):
    driver: str
    shape: str
    raw_us: float
    safe_us: float
    ratio: float  # median of the per-round wall-clock ratios
    spread: tuple[float, float]  # their quartiles
    cpu_ratio: float  # 1 + forksafe's extra client CPU time / the raw wall time, median of the rounds
    cpu_spread: tuple[float, float]


def _median_and_quartiles(values: list[float]) -> tuple[float, tuple[float, float]]:
    q = statistics.quantiles(values, n=4)
    return statistics.median(values), (q[0], q[2])


def bench_round_trips(servers: dict[str, Any], rounds: int, queries: int) -> list[Row]:
    """Raw and forksafe back to back in every round (alternating which goes first), per driver
    and cursor shape; the round's ratio compares two batches that met the same machine weather."""
    conns = {}
    for driver in DRIVERS:
        spec = BY_NAME[driver]
        args, kwargs = spec.connect_args(servers[spec.server])
        conns[driver] = (spec.connect_fn(*args, **kwargs), forksafe.connect(spec.connect_fn, *args, **kwargs))
    cases = [(driver, shape) for driver in DRIVERS for shape in SHAPES]
    for driver, shape in cases:  # warm up
        for conn in conns[driver]:
            SHAPES[shape](conn, queries)
    samples: dict[tuple[str, str], list[tuple[Timing, Timing]]] = {case: [] for case in cases}
    for r in range(rounds):
        random.shuffle(cases)
        for driver, shape in cases:
            raw, safe = conns[driver]
            fn = SHAPES[shape]
            if r % 2:
                t_safe = fn(safe, queries)
                t_raw = fn(raw, queries)
            else:
                t_raw = fn(raw, queries)
                t_safe = fn(safe, queries)
            samples[(driver, shape)].append((t_raw, t_safe))
    rows = []
    for driver in DRIVERS:
        for shape in SHAPES:
            pairs = samples[(driver, shape)]
            ratio, spread = _median_and_quartiles([s[0] / r[0] for r, s in pairs])
            cpu_ratio, cpu_spread = _median_and_quartiles([1 + (s[1] - r[1]) / r[0] for r, s in pairs])
            rows.append(Row(driver, shape, statistics.median(r[0] for r, _ in pairs),
                            statistics.median(s[0] for _, s in pairs), ratio, spread, cpu_ratio, cpu_spread))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=61)
    parser.add_argument("--queries", type=int, default=200)
    opts = parser.parse_args()
    with running(["postgresql", "mariadb"]) as servers:
        rows = bench_round_trips(servers, opts.rounds, opts.queries)
    print(f"\nSELECT 1, {opts.rounds} rounds x {opts.queries} queries, raw and forksafe back to back per "
          "round; wall: median of the rounds' ratios [quartiles]; CPU: 1 + extra client CPU / raw wall")
    print(f"{'driver':<10} {'cursor':<14} {'raw us':>7} {'fs us':>7} {'wall ratio':>10} {'quartiles':>13} "
          f"{'CPU est.':>10} {'quartiles':>13} {'target':>7}")
    for row in rows:
        print(f"{row.driver:<10} {row.shape:<14} {row.raw_us:7.1f} {row.safe_us:7.1f} {row.ratio:9.3f}x "
              f"{row.spread[0]:6.3f}-{row.spread[1]:.3f} {row.cpu_ratio:9.3f}x "
              f"{row.cpu_spread[0]:6.3f}-{row.cpu_spread[1]:.3f} {TARGETS[row.shape]:6.2f}x")
    for row in rows:
        target = f"<= {TARGETS[row.shape]:.2f}x"
        figure(f"core: {row.driver} {row.shape}, wall", row.ratio,
               f"{row.spread[0]:.3f}-{row.spread[1]:.3f} (quartiles)", target)
        figure(f"core: {row.driver} {row.shape}, CPU estimate", row.cpu_ratio,
               f"{row.cpu_spread[0]:.3f}-{row.cpu_spread[1]:.3f} (quartiles)", target)


if __name__ == "__main__":
    main()
