"""``forksafe report``: the summary from a saved report, as a rich table on a terminal and plain
text otherwise, and from the record directory of a run whose top process was killed before it
could write the report."""

from __future__ import annotations

import glob
import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from test_cli import _env, forksafe_cli

# A program whose children use a connection made by the parent; with "kill", the parent is
# SIGKILLed once they are done, so no report gets written at exit.
PROGRAM = """
import os, signal, sqlite3, sys, forksafe
conn = forksafe.connect(sqlite3.connect, "app.db")
conn.execute("CREATE TABLE IF NOT EXISTS t (pid INTEGER)")
pids = []
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        conn.execute("INSERT INTO t VALUES (?)", (os.getpid(),))
        conn.commit()
        os._exit(0)
    pids.append(pid)
for pid in pids:
    os.waitpid(pid, 0)
print(" ".join(map(str, pids)), flush=True)
if sys.argv[1:] == ["kill"]:
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _run_program(tmp_path: Path, *extra: str, options: tuple[str, ...] = ()
                 ) -> tuple[subprocess.CompletedProcess[str], set[int]]:
    (tmp_path / "app.py").write_text(PROGRAM)
    ran = forksafe_cli("run", *options, "--report", str(tmp_path / "forks.json"), "app.py", *extra,
                       cwd=str(tmp_path))
    return ran, {int(p) for p in ran.stdout.split()}


def _assert_rows(report: dict, tmp_path: Path, children: set[int]) -> None:
    (c,) = report["crossings"]
    assert (c["origin"], c["function"], c["label"]) == (f"{tmp_path / 'app.py'}:3", "<module>", "sqlite3")
    assert {ch["pid"] for ch in c["children"]} == children and len(children) == 3, (c, children)
    assert set(c["actions"]) <= {"reconnected", "kept"} and sum(c["actions"].values()) == 3, c


def test_report_from_the_records_of_a_killed_run(tmp_path: Path) -> None:
    ran, children = _run_program(tmp_path, "kill")
    assert ran.returncode == -9, ran
    assert not (tmp_path / "forks.json").exists()  # the top process never reached its exit
    (records,) = glob.glob(str(tmp_path / ".forksafe-records-*"))
    shown = forksafe_cli("report", "--json", records)
    assert shown.returncode == 0, shown
    _assert_rows(json.loads(shown.stdout), tmp_path, children)


def test_report_with_interpreter_options(tmp_path: Path) -> None:
    """-X/-W/-u start a new interpreter for the program: the report is still one, and whole."""
    ran, children = _run_program(tmp_path, options=("-X", "dev", "-u"))
    assert ran.returncode == 0, ran
    _assert_rows(json.loads((tmp_path / "forks.json").read_text()), tmp_path, children)
    assert not glob.glob(str(tmp_path / ".forksafe-records-*"))


def test_rich_table_on_a_terminal_plain_text_otherwise(tmp_path: Path) -> None:
    ran, children = _run_program(tmp_path)
    assert ran.returncode == 0, ran
    report = tmp_path / "forks.json"
    _assert_rows(json.loads(report.read_text()), tmp_path, children)
    plain = forksafe_cli("report", str(report))
    assert plain.stdout.startswith("forksafe: 1 connection crossed a fork (4 processes)\n"), plain.stdout
    assert "app.py:3 (<module>) sqlite3, made by" in plain.stdout and "─" not in plain.stdout

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "forksafe", "report", str(report)], stdout=follower,
                            stderr=subprocess.PIPE, env=dict(_env(), COLUMNS="160"))
    os.close(follower)
    screen = b""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            screen += chunk
        elif proc.poll() is not None:
            break
    os.close(leader)
    assert proc.wait(timeout=30) == 0, proc.stderr.read() if proc.stderr else ""
    text = screen.decode(errors="replace")
    assert "━" in text or "─" in text, text  # a rich table's rules
    for cell in ("made at", "what forksafe did", "app.py:3 (<module>)", "sqlite3", "3"):
        assert cell in text, text


def test_inherited_and_never_used_is_quarantined() -> None:
    """A child's at-fork line lists what it inherited (from the core's inherited_leases); what
    it then used shows its action, what it never touched shows as quarantined."""
    from forksafe._audit.report import build
    from forksafe._audit.table import plain

    lease = {"label": "MySQLdb", "kind": "connection", "made_pid": 100}
    inherited = [dict(lease, origin="app.py:3"), dict(lease, origin="app.py:4")]
    records = [
        {"record": "process", "pid": 100, "ppid": 1, "t": 1.0},
        *({"record": "process", "pid": pid, "ppid": 100, "forked": True, "t": 2.0, "inherited": inherited}
          for pid in (101, 102)),
        {"record": "event", "pid": 101, "action": "reconnected", "kind": "connection", "label": "MySQLdb",
         "origin": "app.py:3", "made_pid": 100, "t": 3.0},
    ]
    report = build(records, top_pid=100, command=["app.py"])
    by_origin = {c["origin"]: c for c in report["crossings"]}
    assert by_origin["app.py:3"]["children"] == [{"pid": 101, "actions": ["reconnected"]},
                                                 {"pid": 102, "actions": ["quarantined"]}]
    assert by_origin["app.py:4"]["actions"] == {"quarantined": 2}
    text = plain(report)
    assert "app.py:3 MySQLdb, made by 100, used in 1 child: reconnected 1, quarantined 1" in text, text
    assert "app.py:4 MySQLdb, made by 100, inherited by 2 children, never used: quarantined" in text, text
