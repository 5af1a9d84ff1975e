"""``forksafe demo`` end to end: real embedded PostgreSQL, real forked children, real Ctrl-C.

The demo runs as a subprocess (as a user runs it), with TMPDIR pointing into the test's own
directory, so everything it makes, the server's data directory included, is findable and must be
gone afterwards. Its raw-driver run is the control: the same scenario, the same server, and it
must come out broken (each child checks an echo only it can expect, so sharing one session is
caught in every run, not only in unlucky ones).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil
import pytest
from harness.servers import PASSWORD, Server

TIMEOUT = 150


def _demo(
    tmp_path: Path, *args: str, timeout: float = TIMEOUT
) -> tuple[subprocess.CompletedProcess[str], Any]:
    out = tmp_path / "demo.json"
    env = dict(os.environ, TMPDIR=str(tmp_path), COLUMNS="120")
    proc = subprocess.run([sys.executable, "-m", "forksafe", "demo", *args, "--json", str(out)],
                          capture_output=True, text=True, timeout=timeout, env=env)
    data = json.loads(out.read_text()) if out.exists() else None
    return proc, data


def _assert_outcome(proc: subprocess.CompletedProcess[str], data: Any, driver: str, expected: int) -> None:
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    safe, raw = data["forksafe"], data["raw"]
    # forksafe: every row, no errors, no hangs, parent healthy.
    assert safe["clean"], safe
    assert safe["landed"] == safe["expected"] == expected
    assert safe["errors"] == {} and safe["children_hung"] == 0 and safe["parent_ok"]
    # The control: the raw driver in the same scenario is reported, and it broke.
    assert raw["label"] == f"raw {driver}" and raw["expected"] == expected
    assert isinstance(raw["landed"], int)
    assert not raw["clean"], f"raw {driver} came through clean; the scenario no longer shows the bug: {raw}"
    # The table names both runs.
    assert f"raw {driver}" in proc.stdout and f"forksafe.connect({driver}.connect)" in proc.stdout
    assert "rows landed" in proc.stdout


def _leftovers(tmp_path: Path) -> list[str]:
    """Processes whose command line mentions the test's directory (the postmaster, the demo's children)."""
    found = []
    for p in psutil.process_iter(["pid", "cmdline"]):
        cmdline = " ".join(p.info["cmdline"] or [])
        if str(tmp_path) in cmdline and p.pid != os.getpid():
            found.append(f"{p.pid}: {cmdline[:200]}")
    return found


def test_demo_embedded_postgres_end_to_end(tmp_path: Path) -> None:
    proc, data = _demo(tmp_path, "--processes", "8", "--rows", "40", "--hang-after", "10")
    _assert_outcome(proc, data, "psycopg2", 320)
    assert "Embedded PostgreSQL" in proc.stdout
    assert not list(tmp_path.glob("forksafe-demo-*")), "the server's directory was left behind"
    assert _leftovers(tmp_path) == []


def test_demo_psycopg3_on_existing_server(tmp_path: Path, postgresql: Server) -> None:
    proc, data = _demo(tmp_path, "--driver", "psycopg", "--dsn", postgresql.url, "--processes", "6",
                       "--rows", "30", "--hang-after", "10")
    _assert_outcome(proc, data, "psycopg", 180)
    assert PASSWORD not in proc.stdout + proc.stderr
    _assert_no_demo_tables_pg(postgresql)


def test_demo_mysqldb_on_mariadb(tmp_path: Path, mariadb: Server) -> None:
    proc, data = _demo(tmp_path, "--dsn", mariadb.url, "--processes", "6", "--rows", "30",
                       "--hang-after", "10")
    _assert_outcome(proc, data, "MySQLdb", 180)  # MySQLdb is the default for a mysql:// DSN
    assert PASSWORD not in proc.stdout + proc.stderr
    assert "***" in proc.stdout  # the DSN is shown, masked
    import MySQLdb

    conn = MySQLdb.connect(**mariadb.mysql_kwargs)
    cur = conn.cursor()
    cur.execute("SHOW TABLES LIKE 'forksafe_demo_%%'")
    assert cur.fetchall() == (), "the demo left its table behind"
    conn.close()


def _assert_no_demo_tables_pg(server: Server) -> None:
    import psycopg2

    conn = psycopg2.connect(server.pg_dsn)
    cur = conn.cursor()
    cur.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'forksafe_demo_%%'")
    assert cur.fetchall() == [], "the demo left its table behind"
    conn.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--driver", "pymysql"], "embedded server is PostgreSQL"),
        (["--driver", "oracle"], "unknown driver"),
        (["--dsn", "sqlite://u:hunter2@h/db"], "scheme 'sqlite' is not supported"),
        (["--processes", "0"], "--processes must be between 1 and 90"),
        (["--rows", "0"], "--rows must be at least 1"),
        (["--dsn", "mysql://u:hunter2@127.0.0.1:1"], "needs a database name"),
    ],
)
def test_demo_bad_options_say_what_to_do(tmp_path: Path, args: list[str], message: str) -> None:
    proc, _ = _demo(tmp_path, *args, timeout=60)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert message in proc.stderr
    assert "hunter2" not in proc.stdout + proc.stderr


def test_demo_unreachable_dsn_fails_without_the_password(tmp_path: Path) -> None:
    proc, _ = _demo(tmp_path, "--dsn", "postgresql://someone:hunter2@127.0.0.1:1/db", timeout=60)
    assert proc.returncode == 1
    assert "forksafe demo failed" in proc.stdout
    assert "hunter2" not in proc.stdout + proc.stderr


def _postmaster_pid(tmp_path: Path) -> int | None:
    for pidfile in tmp_path.glob("forksafe-demo-*/pgdata/postmaster.pid"):
        try:
            lines = pidfile.read_text().splitlines()
            pid = int(lines[0])
        except (OSError, ValueError, IndexError):
            return None
        # Negative during initdb (a standalone backend); wait for the real, ready postmaster.
        return pid if pid > 0 and lines[-1].strip() == "ready" else None
    return None


def test_ctrl_c_mid_run_leaves_no_server_and_no_children(tmp_path: Path) -> None:
    env = dict(os.environ, TMPDIR=str(tmp_path))
    # Many rows and a long hang bound: the demo is certainly mid-run when Ctrl-C comes.
    demo = subprocess.Popen(
        [sys.executable, "-m", "forksafe", "demo", "--processes", "6", "--rows", "1000000",
         "--hang-after", "300", "--json", str(tmp_path / "never.json")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )
    watched: dict[int, float] = {}  # pid -> create time, to tell a survivor from a reused pid
    try:
        deadline = time.monotonic() + 90
        master = None
        children: list[psutil.Process] = []
        while time.monotonic() < deadline:
            assert demo.poll() is None, demo.stdout.read().decode() if demo.stdout else ""
            master = _postmaster_pid(tmp_path)
            try:
                children = psutil.Process(demo.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                children = []
            if master and len(children) >= 1 and all(c.create_time() < time.time() - 0.5 for c in children):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the demo never got its children running")
        assert master is not None
        backends = psutil.Process(master).children(recursive=True)
        for p in [*children, psutil.Process(master), *backends]:
            try:
                watched[p.pid] = p.create_time()
            except psutil.NoSuchProcess:
                pass
        # What a terminal does on Ctrl-C: SIGINT to the foreground process group.
        os.killpg(demo.pid, signal.SIGINT)
        output, _ = demo.communicate(timeout=90)
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait(10)
    assert demo.returncode == 130, output.decode()[-3000:]
    assert b"Interrupted" in output
    survivors = []
    deadline = time.monotonic() + 10  # a backend may take a moment to notice its postmaster is gone
    while time.monotonic() < deadline:
        survivors = [pid for pid, created in watched.items() if _same_process_alive(pid, created)]
        if not survivors:
            break
        time.sleep(0.2)
    assert survivors == [], f"left behind: {survivors}"
    assert _leftovers(tmp_path) == []
    assert not list(tmp_path.glob("forksafe-demo-*")), "the server's directory was left behind"


def _same_process_alive(pid: int, created: float) -> bool:
    try:
        p = psutil.Process(pid)
        return p.create_time() == created and p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
