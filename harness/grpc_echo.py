"""A real gRPC echo server (grpcio alone, no generated code): ``/echo.Echo/Say`` returns the bytes it
gets. Run it in its own process (``python -m harness.grpc_echo``); it prints its port, then serves
until killed. :func:`start` does that from a test and returns (process, port).
"""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent import futures

METHOD = "/echo.Echo/Say"


def serve() -> None:
    import grpc

    def say(request: bytes, context: object) -> bytes:
        return request

    handler = grpc.method_handlers_generic_handler(
        "echo.Echo", {"Say": grpc.unary_unary_rpc_method_handler(say)})
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), handlers=(handler,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    server.wait_for_termination()


def start(timeout: float = 30.0) -> tuple[subprocess.Popen[str], int]:
    """Start the server in a new process; return it and its port."""
    proc = subprocess.Popen([sys.executable, "-m", "harness.grpc_echo"], stdout=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=_root())
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.strip().isdigit() or time.monotonic() > deadline:
        proc.kill()
        raise RuntimeError(f"the gRPC echo server did not start: {line!r}")
    return proc, int(line)


def _root() -> str:
    import os

    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


if __name__ == "__main__":
    serve()
