"""The fork audit report on the original report's program: ``forksafe run --report`` (and
``FORKSAFE_REPORT``, and ``forksafe.report_forks()``) name the line that made the connection, the
process that made it, every child that used it, and what forksafe did there."""

from __future__ import annotations

import json
import os
import sys

import pytest
import zc_helpers as zc
from harness.drivers import BY_NAME, unique_table

REPORT = os.path.join(zc.PROGRAMS, "original_report.py")


def _connect_line() -> int:
    with open(REPORT) as f:
        return next(n for n, line in enumerate(f, 1) if "MySQLdb.connect(" in line)


def _env(mariadb, **extra: str) -> dict[str, str]:
    _, kwargs = BY_NAME["MySQLdb"].connect_args(mariadb)
    return zc.clean_env(FS_MYSQL=json.dumps(kwargs), FS_TABLE=unique_table("aud"), **extra)


def _crossing(report: dict, origin: str) -> dict:
    found = [c for c in report["crossings"] if c["origin"] == origin]
    assert len(found) == 1, json.dumps(report, indent=1)[-3000:]
    return found[0]


def _assert_report_names_children(report: dict, summary: dict, action: str) -> None:
    c = _crossing(report, f"{REPORT}:{_connect_line()}")
    assert c["label"] == "MySQLdb" and c["kind"] == "connection" and c["function"] == "<module>", c
    assert c["made_pids"] == [summary["parent_pid"]], c
    assert {ch["pid"] for ch in c["children"]} == set(summary["child_pids"]), c
    assert all(ch["actions"] == [action] for ch in c["children"]), c
    assert c["actions"] == {action: len(summary["child_pids"])}
    assert report["top_pid"] == summary["parent_pid"]
    pids = {p["pid"] for p in report["processes"]}
    assert pids >= {summary["parent_pid"], *summary["child_pids"]}, report["processes"]


@pytest.mark.parametrize("how", ["option", "environment"])
def test_report_of_the_original_program(mariadb, tmp_path, how: str) -> None:
    out = tmp_path / "forks.json"
    if how == "option":
        ran = zc.forksafe_run(["--report", str(out), REPORT], _env(mariadb))
    else:
        ran = zc.forksafe_run([REPORT], _env(mariadb, FORKSAFE_REPORT=str(out)))
    assert ran.returncode == 0, ran.explain()
    summary = ran.summary
    _assert_report_names_children(json.loads(out.read_text()), summary, "reconnected")
    # The summary printed at exit: the headline and the row, plain text (no terminal attached).
    assert "forksafe: 1 connection crossed a fork" in ran.stderr, ran.explain()
    assert f"original_report.py:{_connect_line()} (<module>) MySQLdb, made by {summary['parent_pid']}, " \
           "used in 10 children: reconnected" in ran.stderr, ran.explain()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".forksafe-records-")]  # cleaned up
    # forksafe report prints the same summary from the saved file.
    again = zc.run([zc.PYTHON, "-m", "forksafe", "report", str(out)], zc.clean_env())
    assert again.returncode == 0 and "used in 10 children: reconnected" in again.stdout, again.explain()


def test_report_under_on_fork_raise_says_raised(mariadb, tmp_path) -> None:
    out = tmp_path / "forks.json"
    ran = zc.forksafe_run(["--on-fork", "raise", "--report", str(out), REPORT], _env(mariadb))
    assert ran.returncode == 1, ran.explain()
    _assert_report_names_children(json.loads(out.read_text()), ran.summary, "raised")


def test_control_without_forksafe_nothing_is_recorded(mariadb, tmp_path) -> None:
    """Under plain python the same program corrupts its data and nobody can tell afterwards."""
    out = tmp_path / "forks.json"
    ran = zc.plain_python([REPORT], _env(mariadb, FORKSAFE_REPORT=str(out), FS_CHILDREN="16",
                                         FS_ROWS="200", FS_CHECK="1", FS_DEADLINE="8"), timeout=120)
    assert ran.returncode == 1 and not out.exists(), ran.explain()


REPORT_FORKS = """
import forksafe, multiprocessing, os, sys, json, MySQLdb
path = forksafe.report_forks(sys.argv[1])
conn = forksafe.connect(MySQLdb.connect, **json.loads(os.environ["FS_MYSQL"]))
conn.cursor().execute("SELECT 1")

def child():
    cur = conn.cursor()
    cur.execute("SELECT CONNECTION_ID()")

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[2])
    procs = [ctx.Process(target=child) for _ in range(3)]
    for p in procs: p.start()
    for p in procs: p.join(60)
    print(json.dumps({"parent_pid": os.getpid(), "child_pids": [p.pid for p in procs],
                      "codes": [p.exitcode for p in procs]}))
"""


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_report_forks_function_without_forksafe_run(mariadb, tmp_path, method: str) -> None:
    program = tmp_path / "app.py"
    program.write_text(REPORT_FORKS)
    out = tmp_path / "forks.json"
    ran = zc.run([sys.executable, str(program), str(out), method], _env(mariadb), cwd=str(tmp_path))
    assert ran.returncode == 0 and ran.summary["codes"] == [0, 0, 0], ran.explain()
    report = json.loads(out.read_text())
    children = set(ran.summary["child_pids"])
    assert children <= {p["pid"] for p in report["processes"]}, report["processes"]  # every child recorded
    assert report["top_pid"] == ran.summary["parent_pid"]
    if method == "fork":  # the children inherited the parent's connection and reconnected
        c = _crossing(report, f"{program}:4")
        assert {ch["pid"] for ch in c["children"]} == children, c
        assert c["actions"] == {"reconnected": 3} and c["made_pids"] == [ran.summary["parent_pid"]], c
    else:  # each child re-ran the module and made its own: nothing of the parent's crossed
        assert not [c for c in report["crossings"] if ran.summary["parent_pid"] in c["made_pids"]], report
