"""What a child may and may not do with what it inherited: transactions stay the parent's, cursors
made before the fork fail clearly, the on-fork policies, spawn/forkserver, threads at fork time,
forks that bypass Python's hooks, and drivers forksafe has no adapter for."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import threading
import time
import warnings
from typing import Any, Callable

import pytest
from harness.drivers import DRIVERS, SERVER_DRIVERS, DriverSpec, unique_table
from harness.forking import fork_children

import forksafe
from forksafe import Connection

pytestmark = pytest.mark.fork


def _connect(spec: DriverSpec, server: Any, **options: Any) -> Any:
    args, kwargs = spec.connect_args(server)
    return forksafe.connect(spec.connect_fn, *args, **options, **kwargs)


def _scalar(conn: Any, sql: str, params: Any = None) -> Any:
    cur = conn.cursor()
    cur.execute(sql, params) if params is not None else cur.execute(sql)
    row = cur.fetchone()
    return row[0] if row else None


def _in_child(fn: Callable[[int], Any], n: int = 1, timeout: float = 30.0) -> list[Any]:
    outcome = fork_children(fn, n, timeout=timeout)
    assert outcome.ok, outcome.summary()
    return [c.report for c in outcome.children]


# -- transactions ---------------------------------------------------------------------------------

def _open_transaction_then_child_commits(conn: Any, spec: DriverSpec, server: Any, table: str) -> int:
    """Parent inserts without committing, a child commits; returns rows visible to an outsider."""
    cur = conn.cursor()
    cur.execute(spec.create_table(table))
    conn.commit()
    cur.execute(spec.sql(f"INSERT INTO {table} (who, n) VALUES (%s, %s)"), ("parent", 1))

    def child(_: int) -> None:
        conn.commit()

    fork_children(child, 1, timeout=30)
    outsider = _connect(spec, server)
    try:
        return int(_scalar(outsider, f"SELECT COUNT(*) FROM {table}"))
    finally:
        outsider.close()


@pytest.mark.parametrize("spec", SERVER_DRIVERS, ids=lambda s: s.name)
def test_open_transaction_at_fork_stays_the_parents(spec: DriverSpec, server_for: Any) -> None:
    server = server_for(spec)
    conn = _connect(spec, server)
    table = unique_table()
    assert _open_transaction_then_child_commits(conn, spec, server, table) == 0
    conn.rollback()  # the parent still owns its transaction and can undo it
    assert _scalar(conn, f"SELECT COUNT(*) FROM {table}") == 0
    conn.close()


@pytest.mark.parametrize("spec", SERVER_DRIVERS, ids=lambda s: s.name)
def test_control_raw_child_commit_commits_parents_work(spec: DriverSpec, server_for: Any) -> None:
    server = server_for(spec)
    args, kwargs = spec.connect_args(server)
    conn = spec.connect_fn(*args, **kwargs)
    assert _open_transaction_then_child_commits(conn, spec, server, unique_table()) == 1


# -- cursors made before the fork -----------------------------------------------------------------

@pytest.mark.parametrize("spec", DRIVERS, ids=lambda s: s.name)
def test_cursor_from_before_fork_fails_clearly_in_child(spec: DriverSpec, server_for: Any) -> None:
    conn = _connect(spec, server_for(spec))
    cur = conn.cursor()
    cur_line = _line() - 1  # the line above
    cur.execute(spec.sql("SELECT %s"), ("before",))
    cur.fetchone()

    def child(_: int) -> str:
        try:
            cur.execute(spec.sql("SELECT %s"), ("after",))
        except forksafe.ForkedConnectionError as exc:
            return str(exc)
        raise AssertionError("an inherited cursor ran a query in the child")

    (message,) = _in_child(child)
    assert f"process {os.getpid()}" in message and f"{__file__}:{cur_line}" in message, message
    assert "conn.cursor()" in message  # says what to do
    # ...and the same cursor keeps working in the parent.
    cur.execute(spec.sql("SELECT %s"), ("parent",))
    assert cur.fetchone()[0] == "parent"
    conn.close()


def _line() -> int:
    import sys

    return sys._getframe(1).f_lineno


# -- policies -------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", [d for d in DRIVERS if d.name in ("MySQLdb", "psycopg2", "psycopg")],
                         ids=lambda s: s.name)
def test_policy_raise_names_the_connect_line_and_processes(spec: DriverSpec, server_for: Any) -> None:
    args, kwargs = spec.connect_args(server_for(spec))
    conn = forksafe.connect(spec.connect_fn, *args, on_fork="raise", **kwargs)
    made_at = _line() - 1
    parent_backend = _scalar(conn, spec.backend_id_sql())

    def child(_: int) -> str:
        try:
            conn.cursor()
        except forksafe.ForkedConnectionError as exc:
            return str(exc)
        raise AssertionError("raise policy let an inherited connection be used")

    (message,) = _in_child(child)
    assert f"{__file__}:{made_at}" in message, message
    assert f"process {os.getpid()}" in message and "forked process" in message
    assert _scalar(conn, spec.backend_id_sql()) == parent_backend
    conn.close()


def test_policy_warn_reconnects_and_warns_once(postgresql: Any) -> None:
    import psycopg

    conn = forksafe.connect(psycopg.connect, postgresql.pg_dsn, on_fork="warn")
    parent_backend = _scalar(conn, "SELECT pg_backend_pid()")

    def child(_: int) -> list[Any]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            first = _scalar(conn, "SELECT pg_backend_pid()")
            second = _scalar(conn, "SELECT pg_backend_pid()")
        kinds = [w.category.__name__ for w in caught]
        return [first, second, kinds, str(caught[0].message) if caught else ""]

    ((first, second, kinds, text),) = _in_child(child)
    assert first == second != parent_backend
    assert kinds == ["ForkSafetyWarning"]
    assert "test_fork_semantics.py" in text


def test_policy_from_environment_and_bad_values(postgresql: Any, tmp_path: Any) -> None:
    import subprocess
    import sys

    script = tmp_path / "p.py"
    script.write_text(
        "import os, forksafe, psycopg\n"
        f"c = forksafe.connect(psycopg.connect, {postgresql.pg_dsn!r})\n"
        "c.cursor().execute('SELECT 1')\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    try:\n"
        "        c.cursor()\n"
        "    except forksafe.ForkedConnectionError:\n"
        "        os._exit(7)\n"
        "    os._exit(0)\n"
        "_, st = os.waitpid(pid, 0)\n"
        "raise SystemExit(os.waitstatus_to_exitcode(st))\n"
    )
    env = dict(os.environ, FORKSAFE_ON_FORK="raise")
    assert subprocess.run([sys.executable, str(script)], env=env, timeout=60).returncode == 7
    env["FORKSAFE_ON_FORK"] = "reconnect"
    assert subprocess.run([sys.executable, str(script)], env=env, timeout=60).returncode == 0
    env["FORKSAFE_ON_FORK"] = "explode"
    bad = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "FORKSAFE_ON_FORK must be one of reconnect, raise, warn" in bad.stderr
    with pytest.raises(ValueError, match="on_fork must be one of"):
        forksafe.connect(lambda: None, on_fork="sometimes")
    with pytest.raises(ValueError):
        forksafe.set_on_fork("never")


# -- spawn and forkserver -------------------------------------------------------------------------

def _query_in_spawned_child(conn: Any, sql: str) -> Any:
    return [os.getpid(), _scalar(conn, sql)]


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
@pytest.mark.parametrize("spec", DRIVERS, ids=lambda s: s.name)
def test_connection_passed_to_spawn_and_forkserver_children(spec: DriverSpec, method: str,
                                                           server_for: Any) -> None:
    conn = _connect(spec, server_for(spec))
    parent_backend = _scalar(conn, spec.backend_id_sql())
    assert pickle.loads(pickle.dumps(conn)) is not conn  # a recipe, rebuilt on the other side
    ctx = multiprocessing.get_context(method)
    with ctx.Pool(2) as pool:
        results = pool.starmap(_query_in_spawned_child, [(conn, spec.backend_id_sql())] * 4, chunksize=1)
    for pid, backend in results:
        assert pid != os.getpid()
        if spec.server != "sqlite":
            assert backend != parent_backend
    assert _scalar(conn, spec.backend_id_sql()) == parent_backend
    conn.close()


# -- threads ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", [d for d in SERVER_DRIVERS if d.name in ("psycopg2", "psycopg")],
                         ids=lambda s: s.name)
@pytest.mark.parametrize("counting", [True, False], ids=["proxy", "native"])
def test_switch_after_fork_is_race_free_with_threads_in_child(spec: DriverSpec, counting: bool,
                                                              server_for: Any) -> None:
    """Eight threads in a child hit the inherited connection at once: exactly one new session.

    ``proxy``: a counting connect function (no adapter matches it, so the generic proxy serves);
    ``native``: the driver's own connect (for psycopg2, its in-place class)."""
    args, kwargs = spec.connect_args(server_for(spec))
    opened: list[int] = []

    def counting_connect(*a: Any, **kw: Any) -> Any:
        opened.append(os.getpid())
        return spec.connect_fn(*a, **kw)

    conn = forksafe.connect(counting_connect if counting else spec.connect_fn, *args, **kwargs)
    parent_backend = _scalar(conn, spec.backend_id_sql())

    def child(_: int) -> Any:
        del opened[:]
        barrier = threading.Barrier(8)
        backends: list[Any] = []
        errors: list[str] = []

        def worker() -> None:
            barrier.wait()
            try:
                backends.append(conn.get_backend_pid() if spec.name == "psycopg2" else conn.info.backend_pid)
            except Exception as exc:
                errors.append(repr(exc))

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        return [len(opened), sorted(set(backends)), errors]

    reports = _in_child(child, n=4)
    for n_opened, backends, errors in reports:
        assert errors == []
        assert len(backends) == 1 and backends[0] != parent_backend
        assert n_opened == (1 if counting else 0)


@pytest.mark.parametrize("spec", SERVER_DRIVERS, ids=lambda s: s.name)
def test_parent_thread_busy_while_another_thread_forks(spec: DriverSpec, server_for: Any) -> None:
    """A parent thread runs queries on a connection while the main thread forks 20 children that
    use the same connection: the thread never sees an error, the children get their own sessions."""
    conn = _connect(spec, server_for(spec))
    parent_backend = _scalar(conn, spec.backend_id_sql())
    stop = threading.Event()
    errors: list[str] = []
    done = [0]

    def churn() -> None:
        while not stop.is_set():
            try:
                token = f"t{done[0]}"
                if _scalar(conn, spec.sql("SELECT %s"), (token,)) != token:
                    errors.append("wrong reply")
                conn.commit()
                done[0] += 1
            except Exception as exc:
                errors.append(repr(exc))
                return

    thread = threading.Thread(target=churn)
    thread.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
            reports = _in_child(lambda i: _scalar(conn, spec.backend_id_sql()), n=20, timeout=60)
    finally:
        stop.set()
        thread.join(30)
    assert errors == [] and done[0] > 0
    assert parent_backend not in reports
    assert _scalar(conn, spec.backend_id_sql()) == parent_backend


def test_lock_held_at_fork_does_not_deadlock_child(postgresql: Any) -> None:
    """A parent thread holds the connection's own lock at the moment of fork."""
    import psycopg

    conn = forksafe.connect(psycopg.connect, postgresql.pg_dsn)
    assert isinstance(conn, Connection)
    conn.cursor()  # opens, and makes the per-connection lock
    lock = conn._fs_own.lock()
    assert lock is not None
    lock.acquire()
    try:
        reports = _in_child(lambda i: _scalar(conn, "SELECT 1"), n=2, timeout=20)
    finally:
        lock.release()
    assert reports == [1, 1]


def _fork_while_busy_in_thread(conn: Any, child: Callable[[int], Any], n: int, timeout: float) -> Any:
    """Fork while another thread of the parent is inside a query on ``conn`` (psycopg2 holds the
    connection's C mutex for the whole query, so the child inherits it held)."""
    started = threading.Event()

    def slow() -> None:
        cur = conn.cursor()
        started.set()
        cur.execute("SELECT pg_sleep(2)")

    thread = threading.Thread(target=slow)
    thread.start()
    started.wait(10)
    time.sleep(0.3)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
            return fork_children(child, n, timeout=timeout)
    finally:
        thread.join(20)


def test_psycopg2_mid_query_in_parent_thread_at_fork(postgresql: Any) -> None:
    """A child forked mid-query must not deadlock on the inherited mutex (docs/evidence.md: a raw close()
    in that child deadlocks). In-place reconnect re-makes the mutex."""
    import psycopg2

    conn = forksafe.connect(psycopg2.connect, postgresql.pg_dsn)
    outcome = _fork_while_busy_in_thread(conn, lambda i: [_scalar(conn, "SELECT 41 + 1"), conn.close()][0],
                                         n=2, timeout=20)
    assert outcome.ok, outcome.summary()
    assert [c.report for c in outcome.children] == [42, 42]
    assert _scalar(conn, "SELECT 1") == 1


def test_control_raw_psycopg2_close_mid_query_deadlocks_child(postgresql: Any) -> None:
    import psycopg2

    conn = psycopg2.connect(postgresql.pg_dsn)
    outcome = _fork_while_busy_in_thread(conn, lambda i: conn.close(), n=1, timeout=5)
    assert outcome.hung == 1, outcome.summary()


# -- forks that skip Python's hooks -----------------------------------------------------------------

@pytest.mark.parametrize("spec", [d for d in SERVER_DRIVERS if d.name in ("MySQLdb", "psycopg")],
                         ids=lambda s: s.name)
def test_backstop_catches_fork_that_bypassed_python_hooks(spec: DriverSpec, server_for: Any) -> None:
    """libc's fork() called directly runs no os.register_at_fork hook; close() in that child must
    still leave the parent's session alone (the pid check on the slow paths)."""
    conn = _connect(spec, server_for(spec))
    parent_backend = _scalar(conn, spec.backend_id_sql())
    libc = ctypes.CDLL(None, use_errno=True)
    pid = libc.fork()
    if pid == 0:
        try:
            conn.close()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    time.sleep(0.2)
    assert _scalar(conn, spec.backend_id_sql()) == parent_backend


# -- drivers without an adapter ---------------------------------------------------------------------

def _unknown_connect(**kwargs: Any) -> Any:
    """A connection class from a module forksafe has no adapter for: PyMySQL underneath."""
    import pymysql

    cls = type("Connection", (pymysql.connections.Connection,), {"__module__": "some_unknown_driver"})
    return cls(**kwargs)


def test_driver_without_adapter_is_quarantined_by_descriptor_tracking(mariadb: Any) -> None:
    from forksafe._drivers import adapter_for_connection

    kwargs = dict(mariadb.mysql_kwargs, ssl_disabled=True)
    conn = forksafe.connect(_unknown_connect, **kwargs)
    backend = _scalar(conn, "SELECT CONNECTION_ID()")
    assert adapter_for_connection(conn.forksafe_raw) is None
    assert conn._fs_lease is not None and len(conn._fs_lease.fds) == 1

    # PyMySQL's close() sends COM_QUIT: closing in the child would end the parent's session.
    _in_child(lambda i: conn.close(), n=3)
    time.sleep(0.2)
    assert _scalar(conn, "SELECT CONNECTION_ID()") == backend

    raw = _unknown_connect(**kwargs)
    raw_backend = _scalar(raw, "SELECT CONNECTION_ID()")
    fork_children(lambda i: raw.close(), 1, timeout=20)  # control: the raw object does end it
    time.sleep(0.2)
    try:
        alive = _scalar(raw, "SELECT CONNECTION_ID()") == raw_backend
    except Exception:
        alive = False
    assert not alive, "closing the raw object in a child left the parent's session alive"


def test_register_driver_gives_exact_descriptors(mariadb: Any) -> None:
    def connect_custom(**kwargs: Any) -> Any:
        import pymysql

        cls = type("Connection", (pymysql.connections.Connection,), {"__module__": "custom_driver_x"})
        return cls(**kwargs)

    seen: list[int] = []

    def fds(conn: Any) -> list[int]:
        seen.append(conn._sock.fileno())
        return [conn._sock.fileno()]

    forksafe.register_driver("custom_driver_x", modules=("custom_driver_x",), fds=fds)
    conn = forksafe.connect(connect_custom, **dict(mariadb.mysql_kwargs, ssl_disabled=True))
    backend = _scalar(conn, "SELECT CONNECTION_ID()")
    assert seen and [fd for fd, _, _ in conn._fs_lease.fds] == seen
    _in_child(lambda i: conn.close())
    assert _scalar(conn, "SELECT CONNECTION_ID()") == backend
