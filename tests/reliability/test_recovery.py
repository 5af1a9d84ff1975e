"""Case 5 of issue 15: a child's first use that fails (the server briefly unreachable) leaves the
connection usable: the next use opens the child's session. A long-lived worker recovers.

"Briefly unreachable" is real: the connection goes through a TCP forwarder running in the
parent, which drops every new connection while a flag file exists. The child raises the flag,
fails its first use, lowers it, and must then succeed.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import threading
from typing import Any

import pytest
import rel_support as rs
from harness.drivers import SERVER_DRIVERS, DriverSpec

pytestmark = pytest.mark.fork


class Forwarder:
    """127.0.0.1:port -> the server, refusing (accept, then close) while ``flag`` exists."""

    def __init__(self, upstream: int, flag: str) -> None:
        self.upstream = upstream
        self.flag = flag
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if os.path.exists(self.flag):
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.upstream), timeout=10)
            server.settimeout(None)
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.listener.close()


@pytest.mark.parametrize("spec", SERVER_DRIVERS, ids=lambda s: s.name)
def test_failed_first_use_in_child_is_retried(spec: DriverSpec, server_for: Any, tmp_path: Any) -> None:
    server = server_for(spec)
    flag = str(tmp_path / "unreachable")
    forwarder = Forwarder(server.port, flag)
    conn = rs.connect(spec, dataclasses.replace(server, port=forwarder.port))
    parent = rs.backend(conn, spec)

    def child(_: int) -> list[Any]:
        open(flag, "w").close()
        try:
            rs.backend(conn, spec)
            first = "no error"
        except Exception as e:
            first = type(e).__name__
        os.remove(flag)
        return [first, rs.backend(conn, spec), rs.backend(conn, spec)]

    try:
        [(first, second, third)] = rs.in_child(child, timeout=40)
        assert first != "no error", "scenario not reached: the first use did not fail"
        assert second == third and second != parent, "the child did not get a session of its own"
        assert rs.backend(conn, spec) == parent
        conn.close()
    finally:
        forwarder.close()
