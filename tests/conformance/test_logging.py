"""Logging on ``forksafe`` and its children, at the levels docs/logging.md documents, and never a
password.

The levels expected here are read from the table in docs/logging.md, so the page and the code
cannot drift apart. In forked children the records are caught by a file handler the parent
installed (the child inherits it; forksafe must not quarantine a log file); in the test process
by pytest's ``caplog``. Every server connection uses the harness's real password, which must
appear in no record, nor must a wrong one the pool retried with.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from typing import Any, Iterator

import pytest
from conf_kit import DRIVER_IDS, in_children, make_raw, scalar
from harness.drivers import DRIVERS, DriverSpec
from harness.servers import PASSWORD

import forksafe

DOCS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "docs",
                    "logging.md")
WRONG_PASSWORD = "Wr0ng-" + PASSWORD
POLICY_TEXT = {"reconnect": "crossed a fork; opening its own", "warn": "(on_fork='warn')",
               "raise": "raising (on_fork='raise')"}


def _documented() -> dict[str, tuple[str, int]]:
    """event -> (logger, level) from the table of docs/logging.md."""
    rows = {}
    with open(DOCS) as f:
        for line in f:
            m = re.match(r"^\| `([^`]+)` \| `([\w.]+)` \| (DEBUG|INFO|WARNING|ERROR) \|", line)
            if m:
                rows[m.group(1)] = (m.group(2), logging.getLevelName(m.group(3)))
    assert rows, f"no logger table in {DOCS}"
    return rows


DOCUMENTED = _documented()


@pytest.fixture
def log_file(tmp_path: Any) -> Iterator[Any]:
    """A DEBUG file handler on ``forksafe`` that forked children inherit; yields a reader."""
    path = tmp_path / "forksafe.log"
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(name)s|%(levelno)d|%(process)d|%(message)s"))
    logger = logging.getLogger("forksafe")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)

    def read() -> list[tuple[str, int, int, str]]:
        handler.flush()
        text = path.read_text()
        assert PASSWORD not in text and WRONG_PASSWORD not in text, "a password reached the log"
        records = []
        for line in text.splitlines():
            name, level, pid, message = line.split("|", 3)
            records.append((name, int(level), int(pid), message))
        return records

    try:
        yield read
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
        handler.close()


def _where(event: str, records: list[tuple[str, int, int, str]], pid: int, text: str) -> list[str]:
    logger, level = DOCUMENTED[event]
    return [m for name, lvl, p, m in records if (name, lvl, p) == (logger, level, pid) and text in m]


def _no_password_in(records: list[logging.LogRecord]) -> None:
    for r in records:
        shown = r.getMessage() + (r.exc_text or "") + repr(r.args)
        assert PASSWORD not in shown and WRONG_PASSWORD not in shown, r


@pytest.mark.fork
@pytest.mark.parametrize("policy", ["reconnect", "warn", "raise"])
@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_policy_decisions_in_a_child_are_logged_once(spec: DriverSpec, policy: str, server_for: Any,
                                                     log_file: Any) -> None:
    args, kwargs = spec.connect_args(server_for(spec))
    conn = forksafe.connect(spec.connect_fn, *args, on_fork=policy, **kwargs)
    scalar(conn, "SELECT 1")

    def child(_: int) -> int:
        import warnings

        warnings.simplefilter("ignore", forksafe.ForkSafetyWarning)
        for _ in range(3):
            try:
                scalar(conn, "SELECT 1")
            except forksafe.ForkedConnectionError:
                pass
        return os.getpid()

    pids = in_children(child, n=2)
    records = log_file()
    for pid in pids:
        (quarantined,) = _where("quarantine", records, pid, "quarantined")
        assert int(quarantined.split()[3]) >= 1, quarantined  # the connection's socket or database file
        assert len(_where(policy, records, pid, POLICY_TEXT[policy])) == 1, records
    assert not [r for r in records if r[2] == os.getpid() and r[1] >= logging.WARNING]
    conn.close()


def _check_fails_once() -> Any:
    calls = []

    def check(conn: Any) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("unfit")

    return check


@pytest.mark.fork
@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_pool_discard_and_reset_in_a_child_are_logged(spec: DriverSpec, server_for: Any, log_file: Any,
                                                      caplog: Any) -> None:
    caplog.set_level(logging.DEBUG, logger="forksafe")
    args, kwargs = spec.connect_args(server_for(spec))
    pool = forksafe.Pool(functools.partial(spec.connect_fn, *args, **kwargs), check=_check_fails_once(),
                         name="logged")
    pool.putconn(pool.getconn())
    pool.putconn(pool.getconn())  # the check fails once: that connection is discarded
    logger, level = DOCUMENTED["pool discard"]
    discards = [r for r in caplog.records
                if (r.name, r.levelno) == (logger, level) and "discarded" in r.getMessage()]
    assert len(discards) == 1 and pool.stats()["discarded"] == 1
    _no_password_in(caplog.records)

    def child(_: int) -> int:
        with pool.connection() as conn:
            scalar(conn, "SELECT 1")
        return os.getpid()

    (pid,) = in_children(child)
    assert len(_where("pool reset", log_file(), pid, "pool 'logged' starts empty; 1 connections")) == 1
    pool.close()


def _wrong_credentials(spec: DriverSpec, server: Any, tmp_path: Any) -> tuple[Any, dict[str, Any]]:
    args, kwargs = spec.connect_args(server)
    if spec.server == "sqlite":
        return (str(tmp_path / "no such dir" / "db.sqlite3"),), {}
    if spec.server == "postgresql":
        return (args[0].replace(f"password={PASSWORD}", f"password={WRONG_PASSWORD}"),), {}
    key = "passwd" if "passwd" in kwargs else "password"
    return (), dict(kwargs, **{key: WRONG_PASSWORD})


@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_pool_back_off_warns_and_never_logs_a_password(spec: DriverSpec, server_for: Any, tmp_path: Any,
                                                       caplog: Any) -> None:
    """A pool whose server refuses (a wrong password; for SQLite a file that cannot be made)
    warns at each retry and raises the driver's own error in the end. Control: the same
    connect arguments fail on the raw driver too."""
    caplog.set_level(logging.DEBUG, logger="forksafe")
    args, kwargs = _wrong_credentials(spec, server_for(spec), tmp_path)
    with pytest.raises(Exception) as raw_error:
        spec.connect_fn(*args, **kwargs)
    pool = forksafe.Pool(functools.partial(spec.connect_fn, *args, **kwargs), reconnect_timeout=0.3)
    with pytest.raises(type(raw_error.value)):
        pool.getconn()
    logger, level = DOCUMENTED["pool back-off"]
    retries = [r for r in caplog.records
               if (r.name, r.levelno) == (logger, level) and "retrying" in r.getMessage()]
    assert retries, caplog.records
    assert all(type(raw_error.value).__name__ in r.getMessage() for r in retries)
    _no_password_in(caplog.records)
    pool.close()


@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_no_password_in_any_record_of_a_connections_life(spec: DriverSpec, server_for: Any, log_file: Any,
                                                         caplog: Any) -> None:
    """Connect, use, fork (children reconnect, warn, are refused), close: every record the
    process and its children log, at every level, is free of the password."""
    caplog.set_level(logging.DEBUG, logger="forksafe")
    server = server_for(spec)
    args, kwargs = spec.connect_args(server)
    conns = {p: forksafe.connect(spec.connect_fn, *args, on_fork=p, **kwargs) for p in POLICY_TEXT}
    for conn in conns.values():
        scalar(conn, "SELECT 1")
        repr(conn)

    def child(_: int) -> int:
        import warnings

        warnings.simplefilter("ignore", forksafe.ForkSafetyWarning)
        for conn in conns.values():
            try:
                scalar(conn, "SELECT 1")
            except forksafe.ForkedConnectionError:
                pass
            conn.close()
        return os.getpid()

    in_children(child, n=2)
    records = log_file()  # asserts the password is absent from the children's records
    assert records, "nothing was logged: the check would prove nothing"
    for conn in conns.values():
        conn.close()
    _no_password_in(caplog.records)
    raw = make_raw(spec, server)  # control: the password is really in what the connection was made with
    assert spec.server == "sqlite" or PASSWORD in repr((args, kwargs))
    raw.close()
