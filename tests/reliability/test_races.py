"""The races of issue 15 (cases 2, 6 and 10), each forced to happen on every run.

* Case 2: the garbage collector runs *inside* forksafe's lease registry and collects an unclosed
  forksafe connection whose finaliser drops its lease. The harness makes the collection happen at
  the k-th allocation of a connect, for every k in turn (``gc.set_threshold`` relative to
  ``gc.get_count()``), and a ``gc.callbacks`` probe counts the collections that started while the
  registry lock was held: at least one must, and the program must not hang.
* Case 6: eight threads of a forked child make their first use of the inherited connection at the
  same moment (a barrier, ``sys.setswitchinterval(1e-6)``, and forksafe's process-wide lock held
  until every thread is inside the switch): one session per child, every commit kept.
* Case 10: a driver forksafe has no adapter for connects while another thread closes a descriptor
  (whose number the driver's socket then reuses) and opens a file: the socket is leased, the other
  thread's file is not. Barriers put each step exactly where the race would.
"""

from __future__ import annotations

import os
import stat
import sys
import threading
import time
from typing import Any

import pymysql
import pytest
import rel_support as rs
from harness.drivers import SERVER_DRIVERS, DriverSpec, unique_table

import forksafe
from forksafe import _fork

pytestmark = pytest.mark.fork

# -- case 2: no deadlock when the GC collects a connection inside the registry -------------------

GC_PROGRAM = r"""
import gc, json, os, sys, time
import forksafe

DRIVER, TARGET = sys.argv[1], sys.argv[2]
if DRIVER == "sqlite3":
    import sqlite3
    def make():
        return forksafe.connect(sqlite3.connect, TARGET)
else:
    import psycopg2
    def make():
        return forksafe.connect(psycopg2.connect, TARGET)

def registry_lock():
    module = sys.modules.get("forksafe._quarantine")  # the rebuilt core; 0.1 kept it in _fork
    lock = getattr(module, "_registry_lock", None)
    return lock if lock is not None else sys.modules["forksafe._fork"]._registry_lock

hits = []
def probe(phase, info):
    if phase == "start" and registry_lock().locked():
        hits.append(k)
gc.callbacks.append(probe)

class Helper:  # keeps a back-reference: connection and helper form a cycle only the GC frees
    def __init__(self, conn):
        self.conn = conn
        self.me = self

gc.disable()
k = 0
limit = int(sys.argv[3])
deadline = time.monotonic() + 20
while k < limit and len(hits) < 5 and time.monotonic() < deadline:
    k += 1
    gc.collect()
    doomed = make()
    doomed.cursor().execute("SELECT 1")  # opened: it holds a lease
    Helper(doomed)
    del doomed  # unreachable now, unclosed: only the GC can free it
    gc.set_threshold(gc.get_count()[0] + k, 10**6, 10**6)  # collect at the k-th allocation from here
    gc.enable()
    conn = make()
    conn.cursor().execute("SELECT 1")
    gc.disable()
    conn.close()
gc.set_threshold(700, 10, 10)
gc.enable()
print(json.dumps({"iterations": k, "hits": hits}), flush=True)
"""


@pytest.mark.parametrize("driver", ["sqlite3", "psycopg2"])
def test_gc_inside_the_registry_never_deadlocks(driver: str, request: Any, tmp_path: Any) -> None:
    if driver == "sqlite3":
        target = str(tmp_path / "gc.sqlite3")
    else:
        target = request.getfixturevalue("postgresql").pg_dsn
    ran = rs.run_program(GC_PROGRAM.replace("sys.argv[3]", "'600'"), timeout=40, tmp_path=tmp_path,
                         argv_suffix=(driver, target))
    assert not ran.hung, f"deadlocked on forksafe's own lock: {ran.explain()}"
    assert ran.returncode == 0, ran.explain()
    result = ran.result
    assert result["hits"], f"the harness never collected inside the registry: {result}"
    print(f"gc harness ({driver}): collections inside the registry lock at k={result['hits']}")


# -- case 6: threads of a child racing on first use -----------------------------------------------

THREADS = 8
CHILDREN = 3


@pytest.mark.parametrize("spec", SERVER_DRIVERS, ids=lambda s: s.name)
def test_threads_racing_on_first_use_share_one_session(spec: DriverSpec, server_for: Any) -> None:
    server = server_for(spec)
    conn = rs.connect(spec, server)
    table = unique_table("race")
    parent_session = rs.backend(conn, spec)
    rs.scalar(conn, spec.create_table(table))
    conn.commit()
    insert = spec.sql(f"INSERT INTO {table} (who, n) VALUES (%s, %s)")
    # The first use that opens the child's connection, and no I/O after (drivers' cursor() may
    # ping: MySQL Connector's does, and its connections are not for concurrent use).
    first_use = (lambda c: c.cursor()) if spec.name == "psycopg2" else (lambda c: c.forksafe_raw)

    def child(index: int) -> list[Any]:
        sys.setswitchinterval(1e-6)
        start = threading.Barrier(THREADS)
        serial = threading.Lock()  # the driver calls themselves one at a time; only first use races
        sessions: list[Any] = []
        errors: list[str] = []

        def worker(i: int) -> None:
            start.wait(10)
            try:
                first_use(conn)  # in this process, all threads at once
                with serial:
                    cur = conn.cursor()
                    cur.execute(insert, (f"c{index}", i))
                    conn.commit()
                    cur.execute(spec.backend_id_sql())
                    sessions.append(cur.fetchone()[0])
            except Exception as e:
                errors.append(repr(e))

        # Forced interleaving: forksafe's process-wide lock is held while the threads start, so
        # every one of them reaches the first-use switch, reads the connection's state there and
        # waits; only then is the lock let go. A per-connection lock that is not one lock per
        # generation, handed to every caller, lets each waiter open its own session.
        gate = _fork.state.lock
        gate.acquire()
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
        for t in threads:
            t.start()
        time.sleep(0.3)
        gate.release()
        for t in threads:
            t.join(20)
        assert not any(t.is_alive() for t in threads), "a thread hung"
        assert not errors, errors
        return sorted(set(sessions))

    reports = rs.in_child(child, CHILDREN, timeout=60)
    for index, sessions in enumerate(reports):
        assert len(sessions) == 1 and sessions[0] != parent_session, f"child {index}: sessions {sessions}"
    raw = rs.raw(spec, server)
    try:
        cur = raw.cursor()
        cur.execute(f"SELECT who, COUNT(*) FROM {table} GROUP BY who ORDER BY who")
        per_child = dict(cur.fetchall())
    finally:
        raw.close()
    assert per_child == {f"c{i}": THREADS for i in range(CHILDREN)}, per_child
    assert rs.backend(conn, spec) == parent_session
    conn.close()


# -- case 10: descriptor tracking for a driver without an adapter --------------------------------

class UnknownDriverConnection:
    """A DB-API connection of a driver forksafe knows nothing about (its module is this test file).
    Underneath it speaks to MariaDB through PyMySQL; ``during`` runs the other thread's steps at
    the two moments of the connect call where they do harm."""

    def __init__(self, during: Any, **kwargs: Any) -> None:
        during.before_socket()
        self._inner = pymysql.connect(**kwargs)
        during.after_socket()

    def cursor(self) -> Any:
        return self._inner.cursor()

    def commit(self) -> None:
        self._inner.commit()

    def rollback(self) -> None:
        self._inner.rollback()

    def close(self) -> None:
        self._inner.close()

    def socket_fd(self) -> int:
        return int(self._inner._sock.fileno())


class OtherThread:
    """A thread that, while the connect call runs, closes the descriptor it had open (so the
    driver's socket reuses its number) and then opens a file of its own. Barriers order it."""

    def __init__(self, tmp_path: Any) -> None:
        self.file_a = str(tmp_path / "other-a.log")
        self.file_b = str(tmp_path / "other-b.log")
        for path in (self.file_a, self.file_b):
            with open(path, "w") as f:
                f.write("the other thread's log\n")
        self.held = os.open(self.file_a, os.O_RDONLY)  # the lowest free number: the socket's next
        self.opened = -1
        self._go = [threading.Barrier(2) for _ in range(4)]
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self._go[0].wait(10)
        os.close(self.held)
        self._go[1].wait(10)
        self._go[2].wait(10)
        self.opened = os.open(self.file_b, os.O_RDONLY)
        self._go[3].wait(10)

    def before_socket(self) -> None:
        if not self._thread.is_alive():
            return  # a later connect (the child's own): no race left to stage
        self._go[0].wait(10)
        self._go[1].wait(10)

    def after_socket(self) -> None:
        if not self._thread.is_alive():
            return
        self._go[2].wait(10)
        self._go[3].wait(10)
        self._thread.join(10)


def test_untracked_driver_leases_its_socket_not_another_threads_file(mariadb: Any, tmp_path: Any) -> None:
    other = OtherThread(tmp_path)
    kwargs = rs.pymysql_kwargs(mariadb)
    conn = forksafe.connect(UnknownDriverConnection, during=other, **kwargs)
    session = rs.scalar(conn, "SELECT CONNECTION_ID()")  # opens: the connect call races here
    sock = conn.forksafe_raw.socket_fd()
    assert sock == other.held, "scenario not reached: the driver's socket did not reuse the number"
    assert other.opened >= 0
    file_identity = os.fstat(other.opened).st_ino

    def child(_: int) -> dict[str, Any]:
        sock_mode = os.fstat(sock).st_mode
        other_file = os.fstat(other.opened)
        with os.fdopen(os.dup(other.opened)) as f:
            f.seek(0)
            readable = f.read()
        return {"socket_cut": stat.S_ISCHR(sock_mode), "file_kept": stat.S_ISREG(other_file.st_mode)
                and other_file.st_ino == file_identity, "file_readable": readable.startswith("the other"),
                "own_session": rs.scalar(conn, "SELECT CONNECTION_ID()")}

    [report] = rs.in_child(child)
    assert report["socket_cut"], "the connection's own socket was not leased: the child kept the parent's"
    assert report["file_kept"] and report["file_readable"], "the other thread's file was leased and cut off"
    assert report["own_session"] != session
    assert rs.scalar(conn, "SELECT CONNECTION_ID()") == session
    conn.close()
    os.close(other.opened)


def test_untracked_driver_same_number_new_socket(mariadb: Any, tmp_path: Any) -> None:
    """The identity half alone: the number existed before the connect call (another object's), so
    comparing numbers says nothing new was opened; (number, inode) does."""

    class NoOther:
        def before_socket(self) -> None:
            if not closed:
                closed.append(True)
                os.close(held)

        def after_socket(self) -> None:
            pass

    closed: list[bool] = []
    path = str(tmp_path / "held.log")
    open(path, "w").close()
    held = os.open(path, os.O_RDONLY)
    conn = forksafe.connect(UnknownDriverConnection, during=NoOther(), **rs.pymysql_kwargs(mariadb))
    session = rs.scalar(conn, "SELECT CONNECTION_ID()")
    sock = conn.forksafe_raw.socket_fd()
    assert sock == held, "scenario not reached"
    [cut] = rs.in_child(lambda _: stat.S_ISCHR(os.fstat(sock).st_mode))
    assert cut, "a socket on a reused number was not leased"
    assert rs.scalar(conn, "SELECT CONNECTION_ID()") == session
    conn.close()

