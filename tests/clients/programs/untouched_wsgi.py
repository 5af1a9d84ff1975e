"""A WSGI app for gunicorn ``--preload``: the master makes and uses a redis client at import.

``GET /?TOKEN`` answers ``TOKEN|pid|what the inherited redis descriptor is`` after Redis echoed the
token through the module-level client.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Iterable

import redis

r = redis.Redis.from_url(os.environ["FS_REDIS_URL"], decode_responses=True, socket_timeout=5)
r.ping()
REDIS_FD = r.connection_pool._available_connections[0]._sock.fileno()
MASTER_PID = os.getpid()


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    token = environ.get("QUERY_STRING", "")
    try:
        inherited = os.readlink(f"/proc/self/fd/{REDIS_FD}") if os.getpid() != MASTER_PID else "master"
    except OSError:
        inherited = "closed"
    body = f"{r.echo(token)}|{os.getpid()}|{inherited.split(':')[0]}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
