"""Pool cost: checkout+return for forksafe.Pool and its peers, and round trips per query.

Run: ``python benchmarks/bench_pool.py [--rounds 15] [--pairs 20000]``. Starts its own PostgreSQL
(harness.servers), interleaves the cases round by round (so machine noise hits all alike) and
prints medians and ratios. Round trips are counted for real, by a TCP proxy between client and
server that counts client->server bursts (a burst starts when the client sends after the server
spoke): one burst is one network round trip, whatever the driver or pool sends.
"""

from __future__ import annotations

import argparse
import collections
import os
import selectors
import socket
import statistics
import sys
import threading
import time
from typing import Any, Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import psycopg
import psycopg2
from harness.servers import start_postgresql

import forksafe
from _report import figure


class Floor:
    """The floor: the least a thread-safe pool can do, a deque behind a lock (with methods)."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._lock = threading.Lock()
        self._idle = collections.deque([factory()])

    def getconn(self) -> Any:
        with self._lock:
            return self._idle.pop()

    def putconn(self, conn: Any) -> None:
        with self._lock:
            self._idle.append(conn)

    def connection(self) -> FloorLend:
        return FloorLend(self)


class FloorLend:
    """``with floor.connection()``: the shape of the API over the floor (a method making a class
    context manager), and nothing else: what ``with pool.connection()`` costs before any pool logic."""

    __slots__ = ("_conn", "_floor")

    def __init__(self, floor: Floor) -> None:
        self._floor = floor
        self._conn: Any = None

    def __enter__(self) -> Any:
        self._conn = self._floor.getconn()
        return self._conn

    def __exit__(self, *exc: object) -> None:
        self._floor.putconn(self._conn)


class BurstProxy:
    """TCP proxy to 127.0.0.1:port counting client->server bursts (= round trips)."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.bursts = 0
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.listener, selectors.EVENT_READ, None)
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        try:
            self._loop()
        except (OSError, ValueError):
            pass  # the benchmark ended and closed the sockets under us

    def _loop(self) -> None:
        while True:
            for key, _ in self.sel.select():
                if key.data is None:
                    client, _ = self.listener.accept()
                    server = socket.create_connection(("127.0.0.1", self.target))
                    state = {"last": "s"}
                    self.sel.register(client, selectors.EVENT_READ, (server, "c", state))
                    self.sel.register(server, selectors.EVENT_READ, (client, "s", state))
                    continue
                peer, side, state = key.data
                try:
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                except OSError:
                    data = b""
                if not data:
                    self.sel.unregister(key.fileobj)
                    key.fileobj.close()  # type: ignore[union-attr]
                    continue
                if side == "c" and state["last"] == "s":
                    self.bursts += 1
                state["last"] = side
                peer.sendall(data)


def _select1(conn: Any) -> None:
    cur = conn.cursor()
    cur.execute("SELECT 1")
    cur.fetchone()
    cur.close()


def build(dsn: str, autocommit: bool) -> dict[str, tuple[Callable[[], None], Callable[[], None], Any]]:
    """name -> (checkout+return, checkout+SELECT 1+return, closer) for each pool in default settings."""
    from dbutils.pooled_db import PooledDB
    from psycopg_pool import ConnectionPool
    from sqlalchemy.pool import QueuePool

    def pg2() -> Any:
        c = psycopg2.connect(dsn)
        c.autocommit = autocommit
        return c

    def pg3() -> Any:
        return psycopg.connect(dsn, autocommit=autocommit)

    cases: dict[str, tuple[Callable[[], None], Callable[[], None], Any]] = {}
    raw = pg2()

    def raw_q() -> None:
        _select1(raw)
        if not autocommit:
            raw.commit()

    cases["raw psycopg2 (no pool)"] = (lambda: None, raw_q, raw.close)

    floor = Floor(pg2)

    def floor_q() -> None:
        c = floor.getconn()
        _select1(c)
        if not autocommit:
            c.commit()
        floor.putconn(c)

    cases["floor deque+Lock"] = (lambda: floor.putconn(floor.getconn()), floor_q, lambda: None)

    def floor_with() -> None:
        with floor.connection():
            pass

    cases["floor with connection() (API shape)"] = (floor_with, floor_q, lambda: None)

    for label, fn in (("psycopg2", pg2), ("psycopg", pg3)):
        pool = forksafe.Pool(fn, max_size=1)

        def gp(pool: Any = pool) -> None:
            pool.putconn(pool.getconn())

        def w(pool: Any = pool) -> None:
            with pool.connection():
                pass

        def q(pool: Any = pool) -> None:
            with pool.connection() as c:
                _select1(c)

        cases[f"forksafe getconn/putconn ({label})"] = (gp, q, pool.close)
        cases[f"forksafe with connection() ({label})"] = (w, q, lambda: None)

    qp = QueuePool(pg2, pool_size=1, max_overflow=0)

    def sa_q() -> None:
        c = qp.connect()
        _select1(c)
        if not autocommit:
            c.commit()
        c.close()

    cases["SQLAlchemy QueuePool (psycopg2)"] = (lambda: qp.connect().close(), sa_q, qp.dispose)

    pp = ConnectionPool(dsn, min_size=1, max_size=1, open=True, kwargs={"autocommit": autocommit})
    pp.wait()

    def pp_w() -> None:
        with pp.connection():
            pass

    def pp_q() -> None:
        with pp.connection() as c:
            _select1(c)

    cases["psycopg_pool getconn/putconn"] = (lambda: pp.putconn(pp.getconn()), pp_q, pp.close)
    cases["psycopg_pool with connection()"] = (pp_w, pp_q, lambda: None)

    db = PooledDB(pg2, mincached=1, maxcached=1, maxconnections=1)

    def db_q() -> None:
        c = db.connection()
        _select1(c)
        if not autocommit:
            c.commit()
        c.close()

    cases["DBUtils PooledDB (psycopg2)"] = (lambda: db.connection().close(), db_q, db.close)
    return cases


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rounds", type=int, default=11)
    p.add_argument("--pairs", type=int, default=20000)
    p.add_argument("--queries", type=int, default=300)
    args = p.parse_args(argv)
    pg = start_postgresql()
    try:
        dsn = pg.pg_dsn
        cases = build(dsn, autocommit=False)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.rounds):
            for name, (pair, _q, _c) in cases.items():
                if name.startswith("raw"):
                    continue
                t0 = time.perf_counter()
                for _ in range(args.pairs):
                    pair()
                times[name].append((time.perf_counter() - t0) / args.pairs * 1e6)
        qtimes: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(max(3, args.rounds // 2)):
            for name, (_p, query, _c) in cases.items():
                t0 = time.perf_counter()
                for _ in range(args.queries):
                    query()
                qtimes[name].append((time.perf_counter() - t0) / args.queries * 1e6)
        for _p, _q, close in cases.values():
            close()
        # Round trips, in the drivers' default mode and in autocommit mode, through the proxy.
        proxy = BurstProxy(pg.port)
        pdsn = dsn.replace(f"port={pg.port}", f"port={proxy.port}")
        trips: dict[bool, dict[str, float]] = {}
        for autocommit in (False, True):
            trips[autocommit] = {}
            pcases = build(pdsn, autocommit)
            for name, (_p, query, _c) in pcases.items():
                query()  # warm: connections opened outside the count
                before = proxy.bursts
                for _ in range(50):
                    query()
                time.sleep(0.05)
                trips[autocommit][name] = (proxy.bursts - before) / 50
            for _p, _q, close in pcases.values():
                close()
    finally:
        pg.stop()

    floor = times["floor deque+Lock"]
    print(f"\ncheckout + return, no query: medians of {args.rounds} interleaved rounds of {args.pairs};"
          " x floor: median of the rounds' ratios [quartiles]")
    print(f"{'pool':42s} {'us/pair':>9s} {'x floor':>8s} {'quartiles':>12s} {'forksafe faster by':>19s}")
    fs = statistics.median(times["forksafe getconn/putconn (psycopg2)"])
    for name, values in times.items():
        if not values:
            continue
        med = statistics.median(values)
        ratios = [v / f for v, f in zip(values, floor)]  # the same round: the same machine weather
        q = statistics.quantiles(ratios, n=4)
        print(f"{name:42s} {med:9.2f} {statistics.median(ratios):8.2f} {q[0]:5.2f}-{q[2]:<6.2f} "
              f"{med / fs:18.1f}x")
    print("targets: forksafe getconn/putconn <= 1.30x floor, with pool.connection() <= 1.80x floor")
    for name, target in (("forksafe getconn/putconn (psycopg2)", "<= 1.30x"),
                         ("forksafe getconn/putconn (psycopg)", "<= 1.30x"),
                         ("forksafe with connection() (psycopg2)", "<= 1.80x"),
                         ("forksafe with connection() (psycopg)", "<= 1.80x"),
                         ("floor with connection() (API shape)", "(reference)")):
        ratios = [v / f for v, f in zip(times[name], floor)]
        q = statistics.quantiles(ratios, n=4)
        figure(f"pool: {name} / floor", statistics.median(ratios), f"{q[0]:.2f}-{q[2]:.2f} (quartiles)",
               target)
    print("\ncheckout + SELECT 1 + return (default: autocommit off, so the transaction is committed)")
    print(f"{'pool':42s} {'us/query':>9s} {'round trips':>12s} {'(autocommit)':>13s}")
    for name, values in qtimes.items():
        print(f"{name:42s} {statistics.median(values):9.1f} {trips[False][name]:12.2f} "
              f"{trips[True][name]:13.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
