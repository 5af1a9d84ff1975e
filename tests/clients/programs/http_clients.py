"""The HTTP clients the fork programs drive, as a user writes them: make, GET, close.

Each client is made by the parent with the server's certificate trusted, answers ``get(path)``
with ``(body, X-Conn)`` (the server's number for the TCP connection that carried the request) and
can hold two requests open at once (``two_at_once``), so the parent's pool has two keep-alive
connections. Async clients run on the event loop their caller passes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from typing import Any, Callable, Iterator

# a read that would hang on a shared socket fails instead (bounded controls); a run expected to
# succeed under strace on a loaded machine may ask for longer (FS_HTTP_TIMEOUT)
TIMEOUT = float(os.environ.get("FS_HTTP_TIMEOUT", "3.0"))
KEEPALIVE = 600.0  # idle connections are kept however slow the machine: the parent's must survive


class Sync:
    def __init__(self, kind: str, base: str, cert: str) -> None:
        self.kind, self.base, self.cert = kind, base, cert
        if kind == "requests":
            import requests

            self.client: Any = requests.Session()  # MADE
        elif kind == "urllib3":
            import urllib3

            self.client = urllib3.PoolManager(ca_certs=cert, timeout=TIMEOUT, maxsize=4)  # MADE
        elif kind == "botocore":
            from botocore.httpsession import URLLib3Session

            self.client = URLLib3Session(verify=cert, timeout=TIMEOUT, max_pool_connections=4)  # MADE
        elif kind == "elastic-transport":
            from urllib.parse import urlsplit

            from elastic_transport import NodeConfig, Urllib3HttpNode

            u = urlsplit(base)
            tls = {"ca_certs": cert} if u.scheme == "https" else {}
            config = NodeConfig(u.scheme, u.hostname or "", u.port or 0, connections_per_node=4,
                                request_timeout=TIMEOUT, **tls)
            self.client = Urllib3HttpNode(config)  # MADE
        elif kind == "httpx":
            import httpx

            limits = httpx.Limits(keepalive_expiry=KEEPALIVE)
            self.client = httpx.Client(verify=cert, timeout=TIMEOUT, limits=limits)  # MADE
        else:
            raise ValueError(f"unknown client {kind!r}")

    def get(self, path: str) -> tuple[str, str]:
        with self._open(path) as (body, conn):
            return body(), conn

    @contextlib.contextmanager
    def _open(self, path: str) -> Iterator[tuple[Callable[[], str], str]]:
        url = self.base + path
        if self.kind == "requests":
            r = self.client.get(url, timeout=TIMEOUT, stream=True, verify=self.cert)
            try:
                yield (lambda: r.text), r.headers["X-Conn"]
            finally:
                r.close()
        elif self.kind == "botocore":
            from botocore.awsrequest import AWSRequest

            r = self.client.send(AWSRequest("GET", url, stream_output=True).prepare())
            try:
                yield (lambda: r.raw.read().decode()), r.headers["X-Conn"]
            finally:
                r.raw.release_conn()
        elif self.kind == "elastic-transport":  # its perform_request reads the whole reply
            meta, data = self.client.perform_request("GET", path)
            yield (lambda: data.decode()), meta.headers["X-Conn"]
        elif self.kind == "urllib3":
            r = self.client.request("GET", url, preload_content=False)
            try:
                yield (lambda: r.read().decode()), r.headers["X-Conn"]
            finally:
                r.release_conn()
        else:
            with self.client.stream("GET", url) as r:
                yield (lambda: r.read().decode()), r.headers["X-Conn"]

    def two_at_once(self, first: str, second: str) -> list[tuple[str, str]]:
        if self.kind == "elastic-transport":  # two threads, each reply held back a little
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(2) as threads:
                return list(threads.map(self.get, [f"{first}&delay=0.3", f"{second}&delay=0.3"]))
        with self._open(first) as (body1, conn1), self._open(second) as (body2, conn2):
            return [(body1(), conn1), (body2(), conn2)]

    def close(self) -> None:
        if self.kind == "urllib3":
            self.client.clear()
        else:
            self.client.close()


class Async:
    """httpx.AsyncClient; every call runs to completion on ``loop``."""

    def __init__(self, kind: str, base: str, cert: str) -> None:
        import httpx

        self.kind, self.base = kind, base
        limits = httpx.Limits(keepalive_expiry=KEEPALIVE)
        self.client = httpx.AsyncClient(verify=cert, timeout=TIMEOUT, limits=limits)  # MADE

    async def get(self, path: str) -> tuple[str, str]:
        r = await self.client.get(self.base + path)
        return r.text, r.headers["X-Conn"]

    async def two_at_once(self, first: str, second: str) -> list[tuple[str, str]]:
        async with self.client.stream("GET", self.base + first) as r1, \
                self.client.stream("GET", self.base + second) as r2:
            return [((await r1.aread()).decode(), r1.headers["X-Conn"]),
                    ((await r2.aread()).decode(), r2.headers["X-Conn"])]

    async def close(self) -> None:
        await self.client.aclose()


class AioHTTP(Async):
    """aiohttp.ClientSession: it must be made on the running loop it will belong to."""

    def __init__(self, kind: str, base: str, cert: str) -> None:
        import ssl

        import aiohttp

        self.kind, self.base = kind, base
        context = ssl.create_default_context(cafile=cert)
        connector = aiohttp.TCPConnector(ssl=context, keepalive_timeout=KEEPALIVE)
        timeout = aiohttp.ClientTimeout(total=TIMEOUT)
        self.client = aiohttp.ClientSession(connector=connector, timeout=timeout)  # MADE

    @classmethod
    async def create(cls, base: str, cert: str) -> AioHTTP:
        return cls("aiohttp", base, cert)

    async def get(self, path: str) -> tuple[str, str]:
        async with self.client.get(self.base + path) as r:
            return await r.text(), r.headers["X-Conn"]

    async def two_at_once(self, first: str, second: str) -> list[tuple[str, str]]:
        # aiohttp hands a connection back once a small body has arrived, read or not: two requests
        # in flight together are what makes it open two.
        return list(await asyncio.gather(self.get(first), self.get(second)))

    async def close(self) -> None:
        await self.client.close()


CLIENTS = ("requests", "urllib3", "botocore", "elastic-transport", "httpx", "httpx-async", "aiohttp")


def is_async(kind: str) -> bool:
    return kind.endswith("-async") or kind == "aiohttp"


def make(kind: str, base: str, cert: str, loop: asyncio.AbstractEventLoop | None = None) -> Any:
    """The client; an aiohttp session is made on ``loop`` (or the running loop)."""
    if kind == "aiohttp":
        if loop is None:
            return AioHTTP(kind, base, cert)
        return loop.run_until_complete(AioHTTP.create(base, cert))
    return Async(kind, base, cert) if kind.endswith("-async") else Sync(kind, base, cert)


def made_at(kind: str) -> str:
    """``file:line`` of the line that makes ``kind``'s client (marked ``# MADE``)."""
    needle = {"requests": "requests.Session()", "urllib3": "urllib3.PoolManager(",
              "botocore": "URLLib3Session(", "elastic-transport": "Urllib3HttpNode(config)",
              "httpx": "httpx.Client(", "httpx-async": "httpx.AsyncClient(",
              "aiohttp": "aiohttp.ClientSession("}[kind]
    path = os.path.abspath(__file__)
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if needle in line and line.rstrip().endswith("# MADE"):
                return f"{path}:{number}"
    raise LookupError(kind)


def run_on(loop: asyncio.AbstractEventLoop | None, value: Any) -> Any:
    """``value`` itself for a sync client, the result of the awaitable for an async one."""
    if loop is not None and asyncio.iscoroutine(value):
        return loop.run_until_complete(value)
    return value
