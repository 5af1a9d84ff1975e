"""Async SQL clients across fork: 8 children, each on its own event loop, 100 queries each echoing
a token only that child can expect, then closing the client; the parent's client still works.

Every forksafe test has its raw control beside it: the same program with the driver's own calls.
"""

from __future__ import annotations

from typing import Any

import pytest
from async_support import CLIENT_LIST, FORKSAFE_RUN, children, make_line, server_params

pytestmark = pytest.mark.timeout(240)
ids = [c.name for c in CLIENT_LIST]


def _all_ok(result: dict[str, Any], n: int = 8, queries: int = 100) -> None:
    assert result["ok"] == n, f"{result['ok']}/{n} ok: {result['errors'][:3]}\n{result['stderr'][-2000:]}"
    assert all(r["done"] == queries for r in result["reports"]), result["reports"]
    assert result["parent_ok"], result["parent_error"]


@pytest.mark.parametrize("client", CLIENT_LIST, ids=ids)
def test_children_get_their_own(client: Any, request: pytest.FixtureRequest) -> None:
    result = children(client, server_params(request, client), "forksafe")
    _all_ok(result)
    assert result["handle_type"] == "forksafe._async.AsyncProxy"


@pytest.mark.parametrize("client", CLIENT_LIST, ids=ids)
def test_control_raw_children_break(client: Any, request: pytest.FixtureRequest) -> None:
    result = children(client, server_params(request, client), "raw")
    assert result["ok"] < 8 or not result["parent_ok"], "the raw driver survived: the control shows no bug"
    assert result["handle_type"].split(".")[0] in ("asyncpg", "psycopg", "psycopg_pool", "aiomysql")


@pytest.mark.parametrize("client", CLIENT_LIST, ids=ids)
def test_zero_code_children_get_their_own(client: Any, request: pytest.FixtureRequest) -> None:
    """The raw program, unmodified, under ``forksafe run``."""
    result = children(client, server_params(request, client), "raw", launcher=FORKSAFE_RUN)
    _all_ok(result)
    assert result["handle_type"] == "forksafe._async.AsyncProxy", "zero-code did not hand out a proxy"


@pytest.mark.parametrize("client", CLIENT_LIST, ids=ids)
def test_strict_mode_names_the_line(client: Any, request: pytest.FixtureRequest) -> None:
    server = server_params(request, client)
    explicit = children(client, server, "forksafe-raise", n=2, queries=1)
    strict_run = [*FORKSAFE_RUN, "--on-fork", "raise"]
    zero_code = children(client, server, "raw", n=2, queries=1, launcher=strict_run)
    for result, raw in ((explicit, False), (zero_code, True)):
        assert result["ok"] == 0, result
        assert result["parent_ok"], result["parent_error"]
        for error in result["errors"]:
            assert error.startswith("forksafe.errors.ForkedConnectionError"), error
            assert make_line(client, raw) in error, (make_line(client, raw), error)


@pytest.mark.parametrize("client", CLIENT_LIST, ids=ids)
def test_warn_mode_names_the_line_once_per_child(client: Any, request: pytest.FixtureRequest) -> None:
    result = children(client, server_params(request, client), "forksafe-warn", n=2, queries=20)
    _all_ok(result, n=2, queries=20)
    for report in result["reports"]:
        assert len(report["warnings"]) == 1, report
        assert make_line(client, False) in report["warnings"][0], report
