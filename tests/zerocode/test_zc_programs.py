"""Unmodified programs under ``forksafe run``, each against the same program under plain python.

The original report's program (module-level ``MySQLdb.connect``, ``multiprocessing.Process``
children inserting) and a module-level-connection program for every server driver handing work to
``multiprocessing.Pool.map``, ``ProcessPoolExecutor`` and bare ``os.fork()`` children. Every child
checks a token only it can expect from the server before each insert, so the raw driver's shared
connection fails in every run (docs/evidence.md) and the controls are reliable. Controls get a
short deadline for their hung children; the forksafe runs get a generous one and must not need it.
"""

from __future__ import annotations

import json
import os
import re

import pytest
import zc_helpers as zc
from harness.drivers import BY_NAME, SERVER_DRIVERS, unique_table

REPORT = os.path.join(zc.PROGRAMS, "original_report.py")
MODULE_LEVEL = os.path.join(zc.PROGRAMS, "module_level.py")


def _connect_line() -> int:
    with open(REPORT) as f:
        for number, line in enumerate(f, 1):
            if "MySQLdb.connect(" in line:
                return number
    raise AssertionError("no connect line in the report program")


def _report_env(mariadb, table: str, **extra: str) -> dict[str, str]:
    _, kwargs = BY_NAME["MySQLdb"].connect_args(mariadb)
    return zc.clean_env(FS_MYSQL=json.dumps(kwargs), FS_TABLE=table, **extra)


def _assert_all_landed(ran: zc.Ran, children: int, rows: int) -> None:
    assert ran.returncode == 0, ran.explain()
    s = ran.summary
    assert s["exitcodes"] == [0] * children and not s["hung"], ran.explain()
    assert s["rows"] == children * rows == s["expected"], ran.explain()
    assert s["parent_ok"], ran.explain()


# -- the original report ----------------------------------------------------------------------

def test_original_report_10x10_under_forksafe_run(mariadb) -> None:
    ran = zc.forksafe_run([REPORT], _report_env(mariadb, unique_table("rep")))
    _assert_all_landed(ran, 10, 10)


def test_original_report_16x500_checked_under_forksafe_run(mariadb) -> None:
    env = _report_env(mariadb, unique_table("rep"), FS_CHILDREN="16", FS_ROWS="500", FS_CHECK="1",
                      FS_DEADLINE="150")
    ran = zc.forksafe_run([REPORT], env, timeout=200)
    _assert_all_landed(ran, 16, 500)


def test_control_original_report_fails_under_plain_python(mariadb) -> None:
    env = _report_env(mariadb, unique_table("rep"), FS_CHILDREN="16", FS_ROWS="500", FS_CHECK="1",
                      FS_DEADLINE="8")
    ran = zc.plain_python([REPORT], env, timeout=120)
    s = ran.summary
    assert ran.returncode == 1, ran.explain()
    assert any(code != 0 for code in s["exitcodes"]) or s["hung"] or s["rows"] < s["expected"], ran.explain()


def test_on_fork_raise_names_the_connect_line_and_pids(mariadb) -> None:
    ran = zc.forksafe_run(["--on-fork", "raise", REPORT], _report_env(mariadb, unique_table("rep")))
    assert ran.returncode not in (0, None), ran.explain()
    s = ran.summary
    assert all(code != 0 for code in s["exitcodes"]), ran.explain()
    assert s["parent_ok"] and s["rows"] == 0, ran.explain()
    errors = [line for line in ran.stderr.splitlines()
              if line.startswith("forksafe.errors.ForkedConnectionError")]
    assert len(errors) == 10, ran.explain()
    where = f"{REPORT}:{_connect_line()}"
    pattern = re.compile(rf"made in process {s['parent_pid']} at {re.escape(where)} was used in forked "
                         r"process (\d+)\.")
    pids = {int(m.group(1)) for m in map(pattern.search, errors) if m}
    assert pids == set(s["child_pids"]), ran.explain()


def test_on_fork_warn_reports_and_carries_on(mariadb) -> None:
    ran = zc.forksafe_run(["--on-fork", "warn", REPORT], _report_env(mariadb, unique_table("rep")))
    _assert_all_landed(ran, 10, 10)
    assert ran.stderr.count("ForkSafetyWarning") == 10, ran.explain()
    assert f"{REPORT}:{_connect_line()}" in ran.stderr, ran.explain()


# -- module-level connection, every server driver, three ways to fork -------------------------

MODES = ["pool", "executor", "fork"]
DRIVER_IDS = [d.name for d in SERVER_DRIVERS]


def _module_env(spec, server, table: str, mode: str, deadline: str) -> dict[str, str]:
    return zc.clean_env(FS_DB=json.dumps(zc.db_config(spec, server)), FS_TABLE=table, FS_MODE=mode,
                        FS_TASKS="8", FS_ROWS="50", FS_DEADLINE=deadline)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("spec", SERVER_DRIVERS, ids=DRIVER_IDS)
def test_module_level_connection_under_forksafe_run(spec, mode: str, server_for) -> None:
    server = server_for(spec)
    table = unique_table("ml")
    zc.create_table(spec, server, table)
    ran = zc.forksafe_run([MODULE_LEVEL], _module_env(spec, server, table, mode, "120"), timeout=180)
    assert ran.returncode == 0, ran.explain()
    s = ran.summary
    assert s["real_type"].startswith("forksafe."), s  # the driver's connect was patched
    assert not s["errors"] and s["parent_ok"] and s["rows"] == s["expected"] == 400, ran.explain()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("spec", SERVER_DRIVERS, ids=DRIVER_IDS)
def test_control_module_level_connection_fails_under_plain_python(spec, mode: str, server_for) -> None:
    server = server_for(spec)
    table = unique_table("ml")
    zc.create_table(spec, server, table)
    ran = zc.plain_python([MODULE_LEVEL], _module_env(spec, server, table, mode, "5"), timeout=45)
    if ran.returncode is None:
        # The whole program hung (e.g. an executor waiting on a worker stuck reading a reply another
        # worker consumed): one of the bug's documented symptoms. Killed at the bound.
        return
    s = ran.summary
    assert not s["real_type"].startswith("forksafe."), s
    assert ran.returncode == 1 and (s["errors"] or s["rows"] != s["expected"] or not s["parent_ok"]), \
        ran.explain()
