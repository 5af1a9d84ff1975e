"""Diagnosis: the original report's program, exactly as filed (the parent never touches the
connection), under ``forksafe run --on-fork raise`` / ``warn`` / the default ``reconnect``.

Strict mode exists to name this very bug: a connection made at module level in the parent and
used by ten ``multiprocessing.Process`` children. Zero-code connections are lazy, so the parent
never opened it; it must still count as "made in another process" in each child. (The policy
itself, made-and-unused versus made-and-used, is checked for every driver in
``test_same_behaviour.test_policy_is_the_same_on_every_driver_path``.)
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
from typing import Any

import pytest
from conf_kit import Ran, make_raw, program_env, run_program, scalar
from harness.drivers import BY_NAME, unique_table

PROGRAM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs", "report_as_filed.py")
MYSQLDB = BY_NAME["MySQLdb"]


def _connect_line() -> int:
    with open(PROGRAM) as f:
        (number,) = [n for n, line in enumerate(f, 1) if "MySQLdb.connect(" in line]
    return number


def _run_report(mariadb: Any, policy: str) -> tuple[Ran, int]:
    """Run the program under ``forksafe run``; (what it did, rows that landed)."""
    table = unique_table("filed")
    raw = make_raw(MYSQLDB, mariadb)
    cur = raw.cursor()
    cur.execute(MYSQLDB.create_table(table))
    raw.commit()
    _, kwargs = MYSQLDB.connect_args(mariadb)
    env = program_env(FS_MYSQL=json.dumps(kwargs), FS_TABLE=table)
    argv = [sys.executable, "-m", "forksafe", "run"] + (["--on-fork", policy] if policy else []) + [PROGRAM]
    ran = run_program(argv, env, timeout=90)
    rows = scalar(raw, f"SELECT COUNT(*) FROM {table}")
    raw.close()
    return ran, int(rows)


def test_program_never_touches_the_connection_in_the_parent() -> None:
    """The scenario's premise: the only uses of ``db`` are inside the children's function."""
    with open(PROGRAM) as f:
        tree = ast.parse(f.read())
    (worker,) = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    uses = {id(n) for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "db"
            and isinstance(n.ctx, ast.Load)}
    in_worker = {id(n) for n in ast.walk(worker) if isinstance(n, ast.Name) and n.id == "db"}
    assert uses and uses == in_worker, "the parent must never use the connection"


def test_raise_stops_every_child_naming_the_connect_line_and_both_pids(mariadb: Any) -> None:
    ran, rows = _run_report(mariadb, "raise")
    assert ran.returncode is not None, ran.explain()
    errors = [line for line in ran.stderr.splitlines()
              if line.startswith("forksafe.errors.ForkedConnectionError")]
    assert len(errors) == 10, ran.explain()
    pattern = re.compile(rf"^forksafe\.errors\.ForkedConnectionError: MySQLdb connection made in process "
                         rf"{ran.pid} at {re.escape(PROGRAM)}:{_connect_line()} was used in forked process "
                         r"(\d+)\.")
    children = {int(m.group(1)) for m in map(pattern.search, errors) if m}
    assert len(children) == 10 and ran.pid not in children, ran.explain()
    assert rows == 0, "strict mode let a child write"


def test_warn_warns_once_per_child_at_the_connect_line_and_carries_on(mariadb: Any) -> None:
    ran, rows = _run_report(mariadb, "warn")
    assert ran.returncode == 0, ran.explain()
    warned = [line for line in ran.stderr.splitlines() if "ForkSafetyWarning" in line]
    use_line = _line_of("    cursor = db.cursor()")
    pattern = re.compile(rf"^{re.escape(PROGRAM)}:{use_line}: ForkSafetyWarning: MySQLdb connection made in "
                         rf"process {ran.pid} at {re.escape(PROGRAM)}:{_connect_line()} was inherited by "
                         r"forked process (\d+);")
    children = {int(m.group(1)) for m in map(pattern.search, warned) if m}
    assert len(warned) == len(children) == 10 and ran.pid not in children, ran.explain()
    assert rows == 10, ran.explain()


@pytest.mark.parametrize("policy", ["", "reconnect"], ids=["default", "reconnect"])
def test_reconnect_is_unchanged_every_row_lands_silently(mariadb: Any, policy: str) -> None:
    ran, rows = _run_report(mariadb, policy)
    assert ran.returncode == 0 and "ForkSafetyWarning" not in ran.stderr and "Error" not in ran.stderr, \
        ran.explain()
    assert rows == 10, ran.explain()


def _line_of(text: str) -> int:
    with open(PROGRAM) as f:
        (number,) = [n for n, line in enumerate(f, 1) if line.rstrip("\n") == text]
    return number
