"""HTTP clients with forksafe's integrations against the raw clients, and the at-fork cost.

Run: ``python benchmarks/bench_http.py [--rounds N] [--requests N]``. It starts the loopback echo
server of the tests (harness/http_servers.py: HTTP/1.1 keep-alive, its own process).

* **Per request**: a GET on one keep-alive connection with ``requests.Session`` and
  ``httpx.Client``, raw (integrations uninstalled) against forksafe (installed): blocks of
  ``--requests`` GETs, raw and forksafe in a random order in each of ``--rounds`` pairs. We
  report the median per-request times and the median of the per-pair ratios with its
  interquartile range.
* **forksafe's own work per request**, measured without the network: urllib3's
  ``_get_conn`` + ``_put_conn`` pair and httpcore's pool check, installed against raw.
* **At fork** with 100 live client connections (a requests Session holding 100 idle keep-alive
  connections): forksafe's at-fork work in the child (marks registered just before and just
  after forksafe's hook) and the whole fork + exit + wait, raw (nothing leased) and installed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from contextlib import ExitStack
from typing import Any, Callable

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# Everything but forksafe first: stdlib and library at-fork hooks must not fall between the marks.
import httpcore
import httpx
import requests
import urllib3
from harness.http_servers import start_http_servers

_marks: dict[str, int] = {}
os.register_at_fork(after_in_child=lambda: _marks.__setitem__("start", time.perf_counter_ns()))
import forksafe  # noqa: E402,F401
from forksafe.integrations import httpx as fs_httpx  # noqa: E402
from forksafe.integrations import urllib3 as fs_urllib3  # noqa: E402

os.register_at_fork(after_in_child=lambda: _marks.__setitem__("end", time.perf_counter_ns()))


def _set_installed(on: bool) -> None:
    for mod in (fs_urllib3, fs_httpx):
        mod.install() if on else mod.uninstall()


def _requests_client(url: str) -> tuple[Callable[[], Any], Callable[[], None]]:
    s = requests.Session()
    return (lambda: s.get(url).text), s.close


def _httpx_client(url: str) -> tuple[Callable[[], Any], Callable[[], None]]:
    c = httpx.Client()
    return (lambda: c.get(url).text), c.close


CLIENTS = {"requests": _requests_client, "httpx": _httpx_client}


def _timed(get: Callable[[], Any], n: int) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        get()
    return (time.perf_counter() - t0) / n * 1e6


def bench_requests(url: str, rounds: int, n: int) -> list[tuple[str, float, float, float, float, float]]:
    """Per client: one raw and one forksafe client, alive together; each round times a block of
    ``n`` GETs on each, in a random order, switching the integrations on or off before each block
    (so the raw block runs the libraries' own methods). Fine-grained pairs make the ratio robust
    to the slow drifts of a shared machine."""
    rows = []
    for name, make in CLIENTS.items():
        _set_installed(False)
        raw_get, raw_close = make(url)
        _set_installed(True)
        safe_get, safe_close = make(url)
        variants = {False: raw_get, True: safe_get}
        for inst, get in variants.items():  # warm: connection open, caches filled
            _set_installed(inst)
            _timed(get, 50)
        samples: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(rounds):
            for inst in random.sample([False, True], 2):
                _set_installed(inst)
                samples[inst].append(_timed(variants[inst], n))
        _set_installed(True)
        safe_close()
        _set_installed(False)
        raw_close()
        raw, safe = samples[False], samples[True]
        ratios = sorted(s / r for r, s in zip(raw, safe))
        q1, _, q3 = statistics.quantiles(ratios, n=4)
        rows.append((name, statistics.median(raw), statistics.median(safe), statistics.median(ratios),
                     q1, q3))
    return rows


def _per_call_ns(fn: Callable[[], Any], n: int) -> float:
    t0 = time.perf_counter_ns()
    for _ in range(n):
        fn()
    return (time.perf_counter_ns() - t0) / n


def bench_own_work(rounds: int, n: int = 200_000) -> list[tuple[str, float, float]]:
    """ns per call of the patched methods' pool bookkeeping, raw vs installed, no network."""
    def urllib3_pair() -> Callable[[], Any]:
        pool = urllib3.HTTPConnectionPool("127.0.0.1", 9, maxsize=1)
        conn = pool._get_conn()

        def pair() -> None:
            pool._put_conn(conn)
            pool._get_conn()
        return pair

    def httpcore_check() -> Callable[[], Any]:
        pool = httpcore.ConnectionPool()
        return pool.close  # the same check as handle_request, then an empty pool's close

    rows = []
    for label, make in (("urllib3 _put_conn + _get_conn", urllib3_pair),
                        ("httpcore pool method (close)", httpcore_check)):
        raw_ns, safe_ns = [], []
        for _ in range(rounds):
            for inst in random.sample([False, True], 2):
                _set_installed(inst)
                fn = make()
                (safe_ns if inst else raw_ns).append(_per_call_ns(fn, n))
                _set_installed(False)
        rows.append((label, statistics.median(raw_ns), statistics.median(safe_ns)))
    return rows


def bench_fork(url: str, connections: int, forks: int, installed: bool) -> tuple[float, float]:
    """Median forksafe at-fork work in the child (us) and median fork + exit + wait (us)."""
    _set_installed(installed)
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_maxsize=connections)
    session.mount("http://", adapter)
    with ExitStack() as stack:  # hold N responses open at once: N connections, then all pooled
        for i in range(connections):
            stack.enter_context(session.get(f"{url}&i={i}", stream=True))
    pools = list(adapter.poolmanager.pools._container.values())
    idle = sum(p.pool.qsize() for p in pools if p.pool is not None)
    assert len(pools) == 1 and pools[0].num_connections == connections == idle, "not N live connections"
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
    session.close()
    _set_installed(False)
    return statistics.median(hook_ns) / 1000, statistics.median(fork_us)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="pairs of blocks per client")
    parser.add_argument("--requests", type=int, default=50, help="GETs per block")
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--forks", type=int, default=60)
    opts = parser.parse_args()
    servers = start_http_servers()
    try:
        url = servers.http_url + "/echo?t=bench"
        rows = bench_requests(url, opts.rounds, opts.requests)
        own = bench_own_work(15)
        forks = {inst: bench_fork(url, opts.connections, opts.forks, inst) for inst in (False, True)}
    finally:
        servers.stop()
    print(f"\nGET on a loopback keep-alive connection, {opts.rounds} interleaved pairs of blocks "
          f"of {opts.requests} requests (median us per request; ratio: median of per-pair ratios)")
    print(f"{'client':<10} {'raw':>8} {'forksafe':>9} {'ratio':>7}  {'ratio IQR':>15}")
    for name, raw, safe, ratio, q1, q3 in rows:
        print(f"{name:<10} {raw:8.1f} {safe:9.1f} {ratio:6.3f}x  [{q1:.3f}, {q3:.3f}]")
    print("\nforksafe's own bookkeeping per call, no network (ns, median of rounds)")
    for label, raw_ns, safe_ns in own:
        print(f"{label:<32} raw {raw_ns:7.0f}  installed {safe_ns:7.0f}  (+{safe_ns - raw_ns:.0f} ns)")
    print(f"\nAt fork with {opts.connections} live client connections (requests Session), "
          f"median of {opts.forks} forks (us)")
    for inst, label in ((False, "raw (nothing leased)"), (True, "installed (all leased)")):
        hook_us, fork_us = forks[inst]
        print(f"{label:<24} forksafe hook in child {hook_us:7.1f}   fork + exit + wait {fork_us:7.0f}")


if __name__ == "__main__":
    main()
