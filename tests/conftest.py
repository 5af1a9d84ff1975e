"""Shared fixtures: real servers started once per test session (see harness/servers.py).

A server that cannot start fails the tests that need it; nothing is skipped for a missing server.
"""

from __future__ import annotations

import os
import sys
from typing import Iterator

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from harness.servers import Server, start_mariadb, start_postgresql, start_redis  # noqa: E402


@pytest.fixture(scope="session")
def postgresql() -> Iterator[Server]:
    server = start_postgresql()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mariadb() -> Iterator[Server]:
    server = start_mariadb()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[Server]:
    server = start_redis()
    yield server
    server.stop()


@pytest.fixture
def server_for(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> object:
    """``server_for(spec)`` returns the running server (or SQLite file path) for a DriverSpec."""

    def get(spec: object) -> object:
        kind = spec.server  # type: ignore[attr-defined]
        if kind == "sqlite":
            return os.path.join(str(tmp_path), "db.sqlite3")
        return request.getfixturevalue(kind)

    return get
