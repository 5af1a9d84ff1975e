"""What observability costs: pool checkout+return with metrics off and on, and the audit's costs.

Run: ``python benchmarks/bench_observability.py [--rounds 15] [--pairs 20000]``. In-process
sqlite3 connections (no server: the pool's own cost is what is measured). The cases are
interleaved round by round so machine noise hits all alike; medians and the spread of rounds are
printed.

* ``Pool`` getconn+putconn, metrics off (``forksafe.integrations.otel`` never enabled; the class's
  plain methods) and on (the real OpenTelemetry SDK with an in-memory reader: two clock reads
  and two histogram records per pair).
* One audit record (``forksafe run --report``): one event appended to the process's own file.
* A forked child's one line at fork (timed directly), and ``os.fork()`` + child exit + wait
  with the audit off and on.
"""

from __future__ import annotations

import argparse
import functools
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from typing import Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import forksafe
from forksafe import _events
from forksafe._audit import record


def pairs_us(pool: forksafe.Pool, n: int) -> float:
    get, put = pool.getconn, pool.putconn
    start = time.perf_counter()
    for _ in range(n):
        put(get())
    return (time.perf_counter() - start) / n * 1e6


def fork_us(n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
    return (time.perf_counter() - start) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--pairs", type=int, default=20000)
    parser.add_argument("--forks", type=int, default=100)
    args = parser.parse_args()

    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader

    from forksafe.integrations import otel

    pool = forksafe.Pool(functools.partial(sqlite3.connect, ":memory:", check_same_thread=False), max_size=2)
    pool.putconn(pool.getconn())
    provider = MeterProvider(metric_readers=[InMemoryMetricReader()])
    records = tempfile.mkdtemp(prefix="forksafe-bench-")

    def audit_on() -> None:
        os.environ[record.REPORT_ENV] = os.path.join(records, "r.json")
        os.environ[record.DIR_ENV] = records
        os.environ[record.OWNER_ENV] = "1"  # not us: this process records but never reports
        record.start_from_environment()

    def audit_off() -> None:
        record.stop()

    cases: dict[str, Callable[[], float]] = {
        "pool getconn+putconn, metrics off": lambda: pairs_us(pool, args.pairs),
        "pool getconn+putconn, metrics on": lambda: (otel.instrument(provider), pairs_us(pool, args.pairs),
                                                    otel.uninstrument())[1],
        "pool getconn+putconn, durations=False": lambda: (otel.instrument(provider, durations=False),
                                                         pairs_us(pool, args.pairs), otel.uninstrument())[1],
        "one audit record (event appended)": lambda: (audit_on(), _timed_events(200), audit_off())[1],
        "a forked child's at-fork record": lambda: (audit_on(), _timed(record._after_fork_in_child, 200),
                                                    audit_off())[1],
        "fork + exit + wait, audit off": lambda: fork_us(args.forks),
        "fork + exit + wait, audit on": lambda: (audit_on(), fork_us(args.forks), audit_off())[1],
    }
    results: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.rounds):
        for name, case in cases.items():
            results[name].append(case())
    print(f"{'case':<42} {'median us':>10} {'min':>8} {'max':>8}   ({args.rounds} interleaved rounds)")
    for name, values in results.items():
        print(f"{name:<42} {statistics.median(values):>10.2f} {min(values):>8.2f} {max(values):>8.2f}")
    pool.close()


def _timed(fn: Callable[[], None], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1e6


def _timed_events(n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        _events.publish("reconnected", "connection", "sqlite3", "bench.py:1", 1)
    return (time.perf_counter() - start) / n * 1e6


if __name__ == "__main__":
    main()
