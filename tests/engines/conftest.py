"""Fixtures for the engine tests: a database per driver, as the example apps' environment."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from typing import Any, Callable

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
for path in (HERE, os.path.join(HERE, "apps")):
    if path not in sys.path:
        sys.path.insert(0, path)

from enginekit import create_table  # noqa: E402
from harness.drivers import BY_NAME, unique_table  # noqa: E402


@dataclass
class Database:
    """One driver against its real server, with a fresh table for this test."""

    driver: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    table: str

    def connect(self) -> Any:
        return BY_NAME[self.driver].connect_fn(*self.args, **self.kwargs)

    def env(self, mode: str) -> dict[str, str]:
        return {"FS_MODE": mode, "FS_DRIVER": BY_NAME[self.driver].module, "FS_TABLE": self.table,
                "FS_DB": json.dumps({"args": list(self.args), "kwargs": self.kwargs})}


@pytest.fixture
def database(request: pytest.FixtureRequest) -> Callable[[str], Database]:
    """``database("MySQLdb")`` -> a Database with a new table on that driver's server."""

    def make(driver: str) -> Database:
        spec = BY_NAME[driver]
        args, kwargs = spec.connect_args(request.getfixturevalue(spec.server))
        if driver == "MySQLdb":
            # A child that waits for a reply another child consumed would wait forever (docs/evidence.md);
            # with a read timeout the control fails with an error instead of hanging.
            kwargs = dict(kwargs, read_timeout=10, write_timeout=10)
        db = Database(driver, tuple(args), dict(kwargs), unique_table("eng"))
        create_table(db.connect, spec.create_table(db.table))
        return db

    return make
