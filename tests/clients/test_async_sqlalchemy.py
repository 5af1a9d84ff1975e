"""SQLAlchemy's async engines over asyncpg, aiomysql and psycopg, unmodified, under ``forksafe run``:
the engine's pooled driver connections are forksafe's, and forked children on their own loops
work while the parent's engine keeps working. Control: the same program without forksafe."""

from __future__ import annotations

from typing import Any

import pytest
from async_support import CLIENTS, FORKSAFE_RUN, run_program, server_params

pytestmark = pytest.mark.timeout(120)
DRIVERS = {"asyncpg": "asyncpg-conn", "aiomysql": "aiomysql-conn", "psycopg": "psycopg-conn"}


@pytest.mark.parametrize("driver", list(DRIVERS))
def test_async_engine_under_forksafe_run(driver: str, request: pytest.FixtureRequest) -> None:
    server = server_params(request, CLIENTS[DRIVERS[driver]])
    result = run_program("sqlalchemy_async.py", [driver], server, launcher=FORKSAFE_RUN)
    assert result["driver_connection"] == "forksafe._async.AsyncProxy", result
    assert result["children_ok"] == 4, result
    assert result["parent"] is True, result


@pytest.mark.parametrize("driver", list(DRIVERS))
def test_control_async_engine_breaks_without_forksafe(driver: str, request: pytest.FixtureRequest) -> None:
    server = server_params(request, CLIENTS[DRIVERS[driver]])
    result: dict[str, Any] = run_program("sqlalchemy_async.py", [driver], server)
    assert result["driver_connection"].split(".")[0] in ("asyncpg", "aiomysql", "psycopg"), result
    assert result["children_ok"] < 4 or result["parent"] is not True, result
