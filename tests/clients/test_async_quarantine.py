"""What a child does with an inherited async client never reaches the parent's sessions.

strace records every write, send, shutdown and close of the children; none may touch a socket
the parent talks to the server through (a child's own new connection has its own local port).
Controls: the raw driver's children write on the parent's sessions. And the event loop the
child inherited, whose epoll instance is the parent's, is never closed in the child.
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from async_support import (
    CLIENT_LIST,
    FORKSAFE_RUN,
    PYTHON,
    calls_on_inherited_fds,
    children,
    run_program,
    sent_on_parent_sessions,
    server_params,
    strace_prefix,
)

pytestmark = pytest.mark.timeout(240)
ids = [c.name for c in CLIENT_LIST]


@pytest.fixture(autouse=True)
def _strace_installed() -> None:
    assert shutil.which("strace"), "strace is missing: run scripts/setup.sh (it installs it)"


@pytest.mark.parametrize("launcher", ["explicit", "zero-code"])
@pytest.mark.parametrize("action", ["use", "close", "exit"])
@pytest.mark.parametrize("client", CLIENT_LIST, ids=ids)
def test_child_sends_nothing_on_parent_sessions(client: Any, action: str, launcher: str,
                                                request: pytest.FixtureRequest, tmp_path: Any) -> None:
    """``use``: queries on the child's own connection, then close; ``close``: close before any
    use; ``exit``: leave it and end through a full interpreter shutdown (finalisers run)."""
    server = server_params(request, client)
    mode, base = ("forksafe", PYTHON) if launcher == "explicit" else ("raw", FORKSAFE_RUN)
    result = children(client, server, mode, n=2, queries=10, action=action,
                      launcher=[*strace_prefix(str(tmp_path)), *base])
    assert result["ok"] == 2, result["errors"]
    assert result["parent_ok"], result["parent_error"]
    sent = sent_on_parent_sessions(str(tmp_path), result["child_pids"], server["port"])
    assert sent == [], "a child touched the parent's session:\n" + "\n".join(sent[:5])
    touched = calls_on_inherited_fds(str(tmp_path), result["child_pids"], server["port"])
    if action == "exit":
        # Interpreter shutdown destroys even abandoned objects; the quarantine is what makes their
        # finalisers harmless: whatever they do goes to /dev/null.
        assert all("</dev/null" in call for call in touched), "\n".join(touched[:5])
    else:
        # forksafe itself never closes, writes to or unregisters what the child inherited.
        assert touched == [], "a child wrote to or closed an inherited descriptor:\n" + "\n".join(touched[:5])


@pytest.mark.parametrize("client", CLIENT_LIST, ids=ids)
def test_control_raw_child_writes_on_parent_session(client: Any, request: pytest.FixtureRequest,
                                                     tmp_path: Any) -> None:
    server = server_params(request, client)
    traced = [*strace_prefix(str(tmp_path)), *PYTHON]
    result = children(client, server, "raw", n=2, queries=10, launcher=traced)
    sent = sent_on_parent_sessions(str(tmp_path), result["child_pids"], server["port"])
    assert sent, "the raw children sent nothing on the parent's sessions: the control shows no bug"


def test_inherited_event_loop_is_never_closed() -> None:
    result = run_program("loop_after_fork.py", ["forksafe"])
    assert result["self_pipe_registered"], "the child removed the parent's self-pipe from the shared epoll"
    assert result["executor_result"] == "done"


def test_control_raw_child_unregisters_parent_loop() -> None:
    result = run_program("loop_after_fork.py", ["raw"])
    assert not result["self_pipe_registered"], "the child's GC left the parent's loop alone: no control"
    assert result["executor_result"] == "never woke up"
