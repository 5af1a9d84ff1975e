"""Strict and warn modes name the user's line that made the Session / PoolManager / Client.

A child's first request through an inherited client: under ``FORKSAFE_ON_FORK=raise`` it fails with
:class:`forksafe.ForkedConnectionError` naming the ``file:line`` that made the client; under
``warn`` it succeeds on a connection of its own and a ``ForkSafetyWarning`` says the same, attributed
to the child's own line.
"""

from __future__ import annotations

from typing import Any

import pytest
from http_kit import CLIENTS, REOPENING_CLIENTS, explain, http_servers, run_program

__all__ = ["http_servers"]

# Libraries that wrap every exception of their HTTP layer: ours is inside, message and all.
WRAPPED = {"botocore": "HTTPClientError: ", "elastic-transport": "ConnectionError: "}


@pytest.mark.parametrize("client", CLIENTS)
def test_raise_names_the_line_that_made_the_client(http_servers: Any, client: str) -> None:
    s = run_program(http_servers, client, "http", "policy", "explicit", env={"FORKSAFE_ON_FORK": "raise"})
    error = s["child"]["error"]
    assert error.startswith(WRAPPED.get(client, "ForkedConnectionError: ")), explain(s)
    assert "was used in forked process" in error and s["made_at"] in error, explain(s)
    assert s["child"]["body"] == "" and s["parent_ok"], explain(s)


@pytest.mark.parametrize("client", REOPENING_CLIENTS)
def test_warn_names_the_line_and_reconnects(http_servers: Any, client: str) -> None:
    s = run_program(http_servers, client, "http", "policy", "run", env={"FORKSAFE_ON_FORK": "warn"})
    child = s["child"]
    assert child["body"] == "policy" and not child["error"], explain(s)
    assert len(child["warnings"]) == 1, explain(s)
    where, _, message = child["warnings"][0].partition(": ")
    assert where.rsplit(":", 1)[0].endswith("http_clients.py"), explain(s)  # the user's file
    assert s["made_at"] in message, explain(s)
    assert s["parent_ok"] and s["parent_same_conns"], explain(s)


def test_aiohttp_session_is_refused_under_every_policy(http_servers: Any) -> None:
    """No policy can reopen a session bound to the parent's event loop: even under ``warn`` (and
    the default ``reconnect``) the child is told, with the line that made it, to make its own."""
    s = run_program(http_servers, "aiohttp", "http", "policy", "run", env={"FORKSAFE_ON_FORK": "warn"})
    assert s["child"]["error"].startswith("ForkedConnectionError: "), explain(s)
    assert s["made_at"] in s["child"]["error"] and "inside the coroutine" in s["child"]["error"], explain(s)
    assert s["parent_ok"] and s["parent_same_conns"], explain(s)
