"""``forksafe lint`` throughput: lines per second on real installed source, vs parsing alone.

The whole-project analysis runs in two passes (see lint/project.py); both are in these timings. The
target is a million lines in under 30 s with ``-j2`` on the 2-core machine.

Rounds are interleaved (parse-only floor, lint -j1, lint -j2 in turn) and medians are reported, because
the machine is shared and noisy. The floor is ``ast.parse`` of the same files: the analysis cannot be
faster than that, so the ratio says what the analysis itself costs.

    .venv/bin/python benchmarks/bench_lint.py [--rounds 5] [--whole]
"""

from __future__ import annotations

import argparse
import ast
import os
import statistics
import sysconfig
import time
from pathlib import Path

from forksafe.lint import api

SLICE = ("celery", "rq", "kombu", "billiard", "sqlalchemy/orm")


def files_under(roots: list[Path]) -> list[str]:
    return [str(p) for root in roots for p in sorted(root.rglob("*.py"))]


def count_lines(files: list[str]) -> int:
    return sum(Path(f).read_bytes().count(b"\n") for f in files)


def parse_only(files: list[str]) -> None:
    for f in files:
        try:
            ast.parse(Path(f).read_bytes())
        except SyntaxError:
            pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--whole", action="store_true", help="also one round over all of site-packages")
    opts = parser.parse_args()
    site = Path(sysconfig.get_paths()["purelib"])
    roots = [site / name for name in SLICE]
    files = files_under(roots)
    lines = count_lines(files)
    print(f"slice: {', '.join(SLICE)}: {len(files)} files, {lines} lines; "
          f"load average {os.getloadavg()[0]:.1f} (2 cores, shared)")
    runs: dict[str, list[float]] = {"parse only (floor)": [], "lint -j1": [], "lint -j2": []}
    for _ in range(opts.rounds):
        for name in runs:
            start = time.perf_counter()
            if name.startswith("parse"):
                parse_only(files)
            else:
                api.lint_paths([str(r) for r in roots], jobs=int(name[-1]))
            runs[name].append(time.perf_counter() - start)
    floor = statistics.median(runs["parse only (floor)"])
    for name, times in runs.items():
        med = statistics.median(times)
        print(f"{name:<20} median {med:6.2f} s  {lines / med:9.0f} lines/s  x{med / floor:.2f} of parse")
    if opts.whole:
        everything = files_under([site])
        total = count_lines(everything)
        for jobs in (1, 2):
            start = time.perf_counter()
            found = api.lint_paths([str(site)], jobs=jobs)
            took = time.perf_counter() - start
            print(f"all site-packages: {len(everything)} files, {total} lines, {took:.1f} s -j{jobs}, "
                  f"{total / took:.0f} lines/s ({1_000_000 * took / total:.1f} s per million lines), "
                  f"{len(found)} findings; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
