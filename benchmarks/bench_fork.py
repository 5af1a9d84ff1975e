"""What forksafe adds to a fork: fork + child exit + wait, with and without forksafe, in paired processes.

Run: ``python benchmarks/bench_fork.py [--rounds N] [--pairs N] [--connections 100]``. Starts a
private MariaDB (harness/servers.py).

Timing the at-fork hook alone understates the cost (the parent's before-fork step, the pages the
child's hook makes the kernel copy), so this times what a forking server pays: ``fork()``, the
child's ``os._exit(0)``, the parent's ``waitpid``. Two worker processes are alike in everything
but forksafe: each imports MySQLdb, holds 100 live MySQLdb connections (one raw, one through
``forksafe.connect``) and is topped up with Python objects to the same 45 MB resident, since the
cost of a fork grows with the pages the process maps. The parent of the benchmark
alternates them round by round (each does a batch of forks per round; the median of the batch
is its figure), so the machine's noise hits both alike; each pair's ratio is the median over its
rounds. Several pairs of fresh processes, started in alternated order, give the spread. A
raw-against-raw pair shows the noise floor of the method itself.

The last table is the floor of what any quarantine must do per connection in the child, one
``dup2`` (and the identity ``fstat``), measured in a fresh child against the fork itself.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from typing import NamedTuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from _report import figure  # noqa: E402

BALLAST_MB = 45  # both workers are topped up to the same size: MySQLdb and 100 connections take ~42


def _ballast() -> list[object]:
    """Ordinary Python objects (lists, strings, floats) until the process is BALLAST_MB resident,
    so that the raw and the forksafe worker fork processes of the same size."""
    rows: list[object] = []
    i = 0
    while _rss_mb() < BALLAST_MB:
        rows.extend([f"row {j}", float(j), (j, str(j))] for j in range(i, i + 500))
        i += 500
    return rows


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _fork_exit_wait() -> tuple[float, float]:
    """(wall us, CPU us): the CPU time is the parent's (the fork itself, the wait) plus the child's
    whole life, from wait4's accounting: what the fork cost, whenever the scheduler ran it."""
    t0, c0 = time.perf_counter(), time.thread_time()
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    _, _, usage = os.wait4(pid, 0)
    wall = (time.perf_counter() - t0) * 1e6
    cpu = (time.thread_time() - c0 + usage.ru_utime + usage.ru_stime) * 1e6
    return wall, cpu


def _floor_in_child(fds: list[int], with_fstat: bool) -> float:
    """In a fresh child: the time to point ``fds`` at /dev/null, as a C-speed loop in Python can."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        target = os.open(os.devnull, os.O_RDWR)
        fstat, dup2 = os.fstat, os.dup2
        t0 = time.perf_counter_ns()
        for fd in fds:
            if with_fstat:
                fstat(fd)
            dup2(target, fd)
        os.write(w, str(time.perf_counter_ns() - t0).encode())
        os._exit(0)
    os.close(w)
    out = os.read(r, 64)
    os.close(r)
    os.waitpid(pid, 0)
    return int(out) / 1000


_marks: dict[str, int] = {}


def _hook_in_child() -> float:
    """forksafe's at-fork work in the child alone (between hooks registered just before and just
    after forksafe's own), in us: the diagnosis, not the figure (which is fork + exit + wait)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.write(w, str(_marks["after"] - _marks["before"]).encode())
        os._exit(0)
    os.close(w)
    out = os.read(r, 64)
    os.close(r)
    os.waitpid(pid, 0)
    return int(out) / 1000


def worker(kind: str, connections: int, mysql: dict[str, object]) -> None:
    """One benchmark process: set up, then answer each "round N" line on stdin with a median."""
    import MySQLdb

    if kind == "forksafe":
        # Child hooks run in registration order: these two bracket forksafe's.
        os.register_at_fork(after_in_child=lambda: _marks.__setitem__("before", time.perf_counter_ns()))
        import forksafe

        os.register_at_fork(after_in_child=lambda: _marks.__setitem__("after", time.perf_counter_ns()))

        conns = [forksafe.connect(MySQLdb.connect, **mysql) for _ in range(connections)]
    else:
        conns = [MySQLdb.connect(**mysql) for _ in range(connections)]
    for conn in conns:
        cur = conn.cursor()  # open it (forksafe's connection is lazy) and use it once
        cur.execute("SELECT 1")
        cur.fetchall()
        cur.close()
    ballast = _ballast()
    for _ in range(5):
        _fork_exit_wait()  # warm: the first forks pay for page-table set-up
    print(json.dumps({"ready": True, "rss_mb": round(_rss_mb(), 1)}), flush=True)
    for line in sys.stdin:
        command = line.split()
        if command[0] == "round":
            times = [_fork_exit_wait() for _ in range(int(command[1]))]
            print(json.dumps({"median_us": statistics.median(t[0] for t in times),
                              "median_cpu_us": statistics.median(t[1] for t in times)}), flush=True)
        elif command[0] == "hook":
            hook_us = statistics.median(_hook_in_child() for _ in range(int(command[1])))
            print(json.dumps({"hook_us": hook_us}), flush=True)
        elif command[0] == "floor":
            socks = [c.fileno() for c in conns] if kind == "raw" else []
            fds = socks or [os.dup(0) for _ in range(connections)]
            count = int(command[1])
            result = {
                "dup2_us": statistics.median(_floor_in_child(fds, False) for _ in range(count)),
                "fstat_dup2_us": statistics.median(_floor_in_child(fds, True) for _ in range(count)),
            }
            print(json.dumps(result), flush=True)
        else:
            break
    del ballast


class Worker:
    def __init__(self, kind: str, connections: int, mysql: dict[str, object]) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.join(ROOT, "src"), ROOT]))
        self.kind = kind
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", kind, "--connections", str(connections),
             "--mysql", json.dumps(mysql)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
        )

    def ask(self, line: str) -> dict[str, float]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if line:
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        if not answer:
            raise RuntimeError(f"{self.kind} worker died (exit {self.proc.wait(timeout=30)})")
        result: dict[str, float] = json.loads(answer)
        return result

    def stop(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


class Pair(NamedTuple):
    name: str
    a_us: float  # median wall time of A (the raw worker)
    b_us: float
    ratio: float  # median of the rounds' B/A wall ratios
    cpu_ratio: float  # the same for CPU time (parent + child)
    rss_mb: float


def run_pair(name: str, kinds: tuple[str, str], args: argparse.Namespace, mysql: dict[str, object],
             flip: bool) -> Pair:
    """One pair of fresh processes, alternated round by round."""
    workers = [Worker(kind, args.connections, mysql) for kind in (kinds[::-1] if flip else kinds)]
    try:
        rss = max(w.ask("")["rss_mb"] for w in workers)
        a, b = (workers[::-1] if flip else workers)
        ratios, cpu_ratios, times_a, times_b = [], [], [], []
        for r in range(args.rounds):
            order = (a, b) if (r % 2 == 0) != flip else (b, a)  # ABBA...: neither always goes first
            got = {w: w.ask(f"round {args.forks}") for w in order}
            times_a.append(got[a]["median_us"])
            times_b.append(got[b]["median_us"])
            ratios.append(got[b]["median_us"] / got[a]["median_us"])
            cpu_ratios.append(got[b]["median_cpu_us"] / got[a]["median_cpu_us"])
        return Pair(name, statistics.median(times_a), statistics.median(times_b), statistics.median(ratios),
                    statistics.median(cpu_ratios), rss)
    finally:
        for w in workers:
            w.stop()


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=11, help="alternated rounds per pair of processes")
    p.add_argument("--pairs", type=int, default=5, help="pairs of fresh processes (forksafe vs raw)")
    p.add_argument("--forks", type=int, default=20, help="forks per process per round")
    p.add_argument("--connections", type=int, default=100)
    p.add_argument("--worker", choices=["raw", "forksafe"], help=argparse.SUPPRESS)
    p.add_argument("--mysql", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        worker(args.worker, args.connections, json.loads(args.mysql))
        return 0
    from harness.servers import running

    with running(["mariadb"]) as servers:
        kw = dict(servers["mariadb"].mysql_kwargs)
        mysql = {"host": kw["host"], "port": kw["port"], "user": kw["user"], "passwd": kw["password"],
                 "db": kw["database"]}
        rows = []
        for i in range(args.pairs):
            rows.append(run_pair("forksafe / raw", ("raw", "forksafe"), args, mysql, flip=bool(i % 2)))
        control = [run_pair("raw / raw (noise)", ("raw", "raw"), args, mysql, flip=False)
                   for _ in range(max(1, args.pairs // 2))]
        floor_worker = Worker("raw", args.connections, mysql)
        try:
            floor_worker.ask("")
            floor = floor_worker.ask(f"floor {args.forks}")
            fork_us = floor_worker.ask(f"round {args.forks}")["median_us"]
        finally:
            floor_worker.stop()
        hooks = {}
        for n in sorted({0, 1, args.connections}):
            hook_worker = Worker("forksafe", n, mysql)
            try:
                hook_worker.ask("")
                hooks[n] = hook_worker.ask(f"hook {3 * args.forks}")["hook_us"]
            finally:
                hook_worker.stop()

    print(f"\nfork + child exit + wait, {args.connections} live MySQLdb connections, {BALLAST_MB} MB "
          f"resident; {args.pairs} pairs x {args.rounds} alternated rounds x {args.forks} forks")
    print(f"{'pair':<20} {'A (us)':>9} {'B (us)':>9} {'B/A wall':>9} {'B/A CPU':>8} {'RSS MB':>7}")
    for row in rows + control:
        print(f"{row.name:<20} {row.a_us:9.0f} {row.b_us:9.0f} {row.ratio:8.3f}x {row.cpu_ratio:7.3f}x "
              f"{row.rss_mb:7.1f}")
    ratios = [r.ratio for r in rows]
    cpu = [r.cpu_ratio for r in rows]
    noise = [r.ratio for r in control]
    cpu_noise = [r.cpu_ratio for r in control]
    median = statistics.median(ratios)
    print(f"forksafe / raw: wall median {median:.3f}x, range {min(ratios):.3f}-{max(ratios):.3f}x over "
          f"{len(ratios)} pairs (target 1.03x); CPU median {statistics.median(cpu):.3f}x, range "
          f"{min(cpu):.3f}-{max(cpu):.3f}x; raw / raw: wall {', '.join(f'{n:.3f}x' for n in noise)}, "
          f"CPU {', '.join(f'{n:.3f}x' for n in cpu_noise)}")
    dup2, both = floor["dup2_us"], floor["fstat_dup2_us"]
    print(f"\nfloor in a fresh child, {args.connections} descriptors (us; fork + exit + wait {fork_us:.0f}):")
    print(f"  dup2 only: {dup2:.1f} ({100 * dup2 / fork_us:.1f}% of a fork); "
          f"fstat + dup2: {both:.1f} ({100 * both / fork_us:.1f}%)")
    print("forksafe's at-fork work in the child alone (us): "
          + ", ".join(f"{n} connections {us:.0f}" for n, us in hooks.items()))
    figure(f"fork: {args.connections} MySQLdb connections, forksafe / raw", median,
           f"{min(ratios):.3f}-{max(ratios):.3f} (range of {len(ratios)} pairs)", "<= 1.03x")
    figure(f"fork: {args.connections} MySQLdb connections, forksafe / raw, CPU", statistics.median(cpu),
           f"{min(cpu):.3f}-{max(cpu):.3f} (range of {len(cpu)} pairs)", "<= 1.03x")
    figure("fork: raw / raw (the method's noise), wall", statistics.median(noise),
           f"{min(noise):.3f}-{max(noise):.3f} (range)", "1.00x")
    figure("fork: raw / raw (the method's noise), CPU", statistics.median(cpu_noise),
           f"{min(cpu_noise):.3f}-{max(cpu_noise):.3f} (range)", "1.00x")
    figure(f"fork: floor, {args.connections} x (fstat + dup2) in a child / fork", 1 + both / fork_us,
           f"dup2 alone {1 + dup2 / fork_us:.3f}x", "<= 1.03x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
