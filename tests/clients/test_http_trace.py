"""strace: a child that uses an inherited client, closes it and exits through a full interpreter
shutdown writes not one byte on the parent's connections (TLS included: no close_notify, no
record of any kind). The raw control writes its requests on the parent's TLS session.
"""

from __future__ import annotations

from typing import Any

import pytest
from harness.syscalls import sent_on_parent_sessions
from http_kit import CLIENTS, explain, http_servers, run_program

__all__ = ["http_servers"]


@pytest.mark.parametrize("transport", ["http", "tls"])
@pytest.mark.parametrize("client", CLIENTS)
def test_strace_child_sends_nothing_on_parent_connections(http_servers: Any, client: str, transport: str,
                                                          tmp_path: Any) -> None:
    # strace slows every syscall: on a loaded machine the child's TLS handshake alone can pass the
    # 3-s bound the raw controls need, so this run, which must succeed, gets a longer one
    s = run_program(http_servers, client, transport, "trace", "explicit", trace_dir=str(tmp_path),
                    env={"FS_HTTP_TIMEOUT": "20"})
    assert s["child_ok"] and s["parent_ok"] and s["parent_same_conns"], explain(s)
    port = http_servers.tls_port if transport == "tls" else http_servers.port
    sent = sent_on_parent_sessions(str(tmp_path), s["child_pid"], port)
    assert sent == [], "the child wrote on the parent's connection:\n" + "\n".join(sent[:5])


@pytest.mark.parametrize("client", CLIENTS)
def test_control_raw_child_writes_on_parent_tls_session(http_servers: Any, client: str,
                                                        tmp_path: Any) -> None:
    s = run_program(http_servers, client, "tls", "trace", "raw", trace_dir=str(tmp_path))
    if client == "aiohttp":
        # aiohttp refuses the parent's session in the child's loop, so nothing is written; the
        # child's close removes the parent's sockets from the epoll instance they share instead,
        # and the parent's next request on its keep-alive connections hangs.
        assert not s["parent_ok"], "the raw parent survived: the control shows no bug\n" + explain(s)
        return
    sent = sent_on_parent_sessions(str(tmp_path), s["child_pid"], http_servers.tls_port)
    assert sent, "strace saw the raw child send nothing: the control no longer shows the bug\n" + explain(s)
