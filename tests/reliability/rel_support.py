"""Helpers for the reliability tests (issue 15): connect through forksafe or raw, read one value,
run a child or a whole program with every wait bounded, and ask the server who is connected.

Programs run by :func:`run_program` get the ``forksafe`` this test process imported (its
``PYTHONPATH``), so the same tests run against an older tree for the before/after comparison.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from typing import Any, Callable, Optional

from harness.drivers import DriverSpec
from harness.forking import fork_children

import forksafe

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FORKSAFE_SRC = os.path.dirname(os.path.dirname(os.path.abspath(forksafe.__file__)))


def connect(spec: DriverSpec, server: Any, **extra: Any) -> Any:
    args, kwargs = spec.connect_args(server)
    return forksafe.connect(spec.connect_fn, *args, **{**kwargs, **extra})


def raw(spec: DriverSpec, server: Any, **extra: Any) -> Any:
    args, kwargs = spec.connect_args(server)
    return spec.connect_fn(*args, **{**kwargs, **extra})


def scalar(conn: Any, sql: str, params: Any = None) -> Any:
    cur = conn.cursor()
    if params is None:
        cur.execute(sql)
    else:
        cur.execute(sql, params)
    row = cur.fetchone() if cur.description is not None else None
    cur.close()
    return row[0] if row else None


def backend(conn: Any, spec: DriverSpec) -> Any:
    return scalar(conn, spec.backend_id_sql())


def count_rows(spec: DriverSpec, server: Any, table: str) -> int:
    """Rows an outsider sees (a raw connection of its own, closed afterwards)."""
    conn = raw(spec, server)
    try:
        return int(scalar(conn, f"SELECT COUNT(*) FROM {table}"))
    finally:
        conn.close()


def in_child(fn: Callable[[int], Any], n: int = 1, timeout: float = 30.0) -> list[Any]:
    """Run ``fn`` in ``n`` forked children; every child must finish in time and succeed."""
    outcome = fork_children(fn, n, timeout=timeout)
    assert outcome.ok, outcome.summary()
    return [c.report for c in outcome.children]


def child_outcome(fn: Callable[[int], Any], timeout: float = 30.0) -> Any:
    """One child's result, whatever it was (for controls that expect the raw driver to fail)."""
    return fork_children(fn, 1, timeout=timeout).children[0]


@dataclass
class Ran:
    returncode: Optional[int]  # None: still running at the deadline, killed (a hang)
    stdout: str
    stderr: str

    @property
    def hung(self) -> bool:
        return self.returncode is None

    @property
    def result(self) -> dict[str, Any]:
        for line in reversed(self.stdout.strip().splitlines()):
            if line.startswith("{"):
                return dict(json.loads(line))
        raise AssertionError(f"no JSON result; {self.explain()}")

    def explain(self) -> str:
        return f"exit={self.returncode}\nstdout={self.stdout[-1500:]}\nstderr={self.stderr[-3000:]}"


def program_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORKSAFE_")}
    env["PYTHONPATH"] = os.pathsep.join([FORKSAFE_SRC, ROOT])
    env.update(extra)
    return env


def run_program(source: str, *, timeout: float = 60.0, env: Optional[dict[str, str]] = None,
                argv_prefix: tuple[str, ...] = (), under_forksafe_run: bool = False,
                tmp_path: Optional[Any] = None, argv_suffix: tuple[str, ...] = ()) -> Ran:
    """Run ``source`` (dedented) as its own interpreter in its own process group, killed as a whole
    at ``timeout``. ``under_forksafe_run``: as ``forksafe run program.py``."""
    directory = str(tmp_path) if tmp_path is not None else None
    if directory is None:
        import tempfile

        directory = tempfile.mkdtemp(prefix="fs-rel-")
    path = os.path.join(directory, f"program_{abs(hash(source)) % 10**8}.py")
    with open(path, "w") as f:
        f.write(textwrap.dedent(source))
    argv = [*argv_prefix, sys.executable]
    argv += ["-m", "forksafe", "run", path] if under_forksafe_run else [path]
    argv += list(argv_suffix)
    proc = subprocess.Popen(argv, env=env or program_env(), cwd=directory, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        return Ran(proc.returncode, out, err)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return Ran(None, out, err)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def pymysql_kwargs(server: Any) -> dict[str, Any]:
    return {**server.mysql_kwargs, "ssl_disabled": True}


def connect_call_json(spec: DriverSpec, server: Any) -> str:
    args, kwargs = spec.connect_args(server)
    return json.dumps({"module": spec.module, "args": list(args), "kwargs": kwargs,
                       "backend_sql": spec.backend_id_sql(), "placeholder": spec.placeholder})


def server_sessions(spec: DriverSpec, server: Any) -> int:
    """Sessions the server has open for the test database, not counting the one asking."""
    conn = raw(spec, server)
    try:
        if spec.server == "postgresql":
            sql = ("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                   "AND pid <> pg_backend_pid()")
        else:
            sql = ("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() "
                   "AND ID <> CONNECTION_ID()")
        return int(scalar(conn, sql))
    finally:
        conn.close()
