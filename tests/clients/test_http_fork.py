"""HTTP clients across fork(): requests, urllib3, httpx and httpx.AsyncClient, plain and TLS.

The parent makes a client and opens two keep-alive connections with it; 8 forked children then
send 100 requests each through the same client object, each checking that every reply carries its
own token, and close the client. With forksafe (the explicit ``install()`` and the unmodified
program under ``forksafe run``) every child gets every reply right on connections of its own,
and the parent afterwards gets its replies on the *same* two connections: they survived
untouched. Beside each, the raw control breaks in the same program.
"""

from __future__ import annotations

from typing import Any

import pytest
from http_kit import (
    CLIENTS,
    LOCKING_CLIENTS,
    MODES,
    TRANSPORTS,
    all_children_ok,
    explain,
    http_servers,
    run_program,
)

__all__ = ["http_servers"]  # the fixture, imported for pytest


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("client", CLIENTS)
def test_children_get_their_own_connections(http_servers: Any, client: str, transport: str,
                                            mode: str) -> None:
    s = run_program(http_servers, client, transport, "children", mode)
    assert s["parent_two_conns"], explain(s)
    assert all_children_ok(s), explain(s)
    assert s["child_conns_disjoint"], "a child was served on one of the parent's connections\n" + explain(s)
    assert s["parent_ok"] and s["parent_same_conns"], "the parent's keep-alive connections\n" + explain(s)
    if client == "aiohttp":  # a session bound to the parent's loop: refused, with the line that made it
        refused = s["inherited_use"]
        assert len(refused) == 8, explain(s)  # one message per child (each names its own pid)
        assert all(r.startswith("ForkedConnectionError: ") and s["made_at"] in r for r in refused), explain(s)


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("client", CLIENTS)
def test_control_raw_children_break(http_servers: Any, client: str, transport: str) -> None:
    s = run_program(http_servers, client, transport, "children", "raw")
    broken = not all_children_ok(s) or not s["child_conns_disjoint"] or not s["parent_ok"] \
        or not s["parent_same_conns"]
    assert broken, "the raw client survived: the control no longer shows the bug\n" + explain(s)


@pytest.mark.parametrize("client", LOCKING_CLIENTS)
def test_pool_lock_held_at_fork_never_hangs_child(http_servers: Any, client: str) -> None:
    s = run_program(http_servers, client, "http", "held-lock", "explicit")
    assert all_children_ok(s), explain(s)
    assert s["parent_ok"], explain(s)


@pytest.mark.parametrize("client", LOCKING_CLIENTS)
def test_control_raw_pool_lock_held_at_fork_hangs_child(http_servers: Any, client: str) -> None:
    s = run_program(http_servers, client, "http", "held-lock", "raw")
    assert s["children_hung"] == 8, "raw children did not hang on the copied lock\n" + explain(s)
