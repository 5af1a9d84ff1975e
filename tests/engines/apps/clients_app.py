"""Clients made at import, as apps make them: a ``requests.Session`` and a psycopg 3
``AsyncConnection``, both used right away by the process that later forks the workers.

``work(token)`` is the one task body (Celery's and RQ's): the HTTP server and the database must
each echo the token (the database ``CHECKS`` times, so psycopg prepares the statement, as a job
looping over one statement does); it returns ``[pid, the HTTP connection's client port, the
database session's backend pid]``, which tell which connection each process really used.

Environment: ``FS_HTTP_URL`` (a keep-alive echo server answering ``TOKEN|client-port``),
``FS_PG_DSN``.
"""

from __future__ import annotations

import asyncio
import os

import psycopg
import requests

CHECKS = 6
HTTP_URL = os.environ["FS_HTTP_URL"]

session = requests.Session()
conn = asyncio.run(psycopg.AsyncConnection.connect(os.environ["FS_PG_DSN"], autocommit=True))


async def _echo(token: str, times: int) -> int:
    async with conn.cursor() as cur:
        for _ in range(times):
            await cur.execute("SELECT %s::text", (token,))
            row = await cur.fetchone()
            if row is None or row[0] != token:
                raise RuntimeError(f"cross-talk: asked the database for {token!r}, got {row!r}")
        await cur.execute("SELECT pg_backend_pid()")
        backend = await cur.fetchone()
        assert backend is not None
        return int(backend[0])


def _get(token: str) -> int:
    reply = session.get(f"{HTTP_URL}/?{token}", timeout=10)
    echoed, _, port = reply.text.partition("|")
    if reply.status_code != 200 or echoed != token:
        raise RuntimeError(f"cross-talk: asked the HTTP server for {token!r}, "
                           f"got {reply.status_code} {reply.text!r}")
    return int(port)


def work(token: str) -> list[int]:
    port = _get(token)
    backend = asyncio.run(asyncio.wait_for(_echo(token, CHECKS), 15))
    return [os.getpid(), port, backend]


_get("import")  # the parent's own use: a keep-alive connection in its pool, a database session
asyncio.run(_echo("import", 1))
