"""A real HTTP/1.1 keep-alive server on loopback, plain and TLS, for the HTTP client tests.

One server process (asyncio, its own interpreter: nothing of it is inherited by the tests' forked
children) listens on two loopback ports: plain HTTP and HTTPS with a self-signed certificate made
at start with ``openssl`` (Debian's package; ``scripts/setup.sh`` installs it).

``GET /echo?t=TOKEN[&delay=S]`` answers ``200`` (after ``S`` seconds) with the body ``TOKEN`` and
the header ``X-Conn: N``, the server's number for the TCP connection the request came on. A
client that reads a reply meant for another process sees another token; a client whose
keep-alive connection survived sees the same ``X-Conn`` as before. Connections are kept alive
until the client closes them.

Run ``python -m harness.http_servers`` to start one and print its URLs; Ctrl-C stops it.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Optional
from urllib.parse import parse_qs, urlsplit

from harness.servers import Server, _port_open, _wait_until, free_port

_OPENSSL_HINT = "openssl is not installed; run `bash scripts/setup.sh` (it installs the openssl package)"


def make_certificate(directory: str) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 and localhost; returns (cert, key) paths."""
    if shutil.which("openssl") is None:
        raise RuntimeError(_OPENSSL_HINT)
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


@dataclass
class HTTPServers:
    """The running server: its plain and TLS base URLs and the certificate clients must trust."""

    server: Server
    port: int
    tls_port: int
    cert: str

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def https_url(self) -> str:
        return f"https://127.0.0.1:{self.tls_port}"

    def url(self, tls: bool) -> str:
        return self.https_url if tls else self.http_url

    def stop(self) -> None:
        self.server.stop()


def start_http_servers() -> HTTPServers:
    """Start the echo server in a process of its own; wait until both ports accept."""
    root = tempfile.mkdtemp(prefix="forksafe-http-")
    cert, key = make_certificate(root)
    port, tls_port = free_port(), free_port()
    log = os.path.join(root, "server.log")
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=here)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "harness.http_servers", "--serve", str(port), str(tls_port), cert, key,
             str(os.getpid())],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=here, start_new_session=True,
        )
    server = Server("http", port, root, proc, log)
    try:
        _wait_until(lambda: _port_open(port) and _port_open(tls_port), "the HTTP echo server", proc, log)
    except BaseException:
        server.stop()
        raise
    return HTTPServers(server, port, tls_port, cert)


# -- the server itself (runs in its own process) ---------------------------------------------------

_conn_ids = itertools.count(1)


async def _serve_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    conn = next(_conn_ids)
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ssl.SSLError):
                return
            lines = head.decode("latin-1").split("\r\n")
            method, target, _version = (lines[0].split(" ", 2) + ["", ""])[:3]
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0") or 0)
            if length:
                await reader.readexactly(length)
            parts = urlsplit(target)
            if parts.path == "/echo":
                query = parse_qs(parts.query)
                body = query.get("t", [""])[0].encode()
                status = "200 OK"
                delay = float(query.get("delay", ["0"])[0])
                if delay:  # hold the connection busy: concurrent requests need one each
                    await asyncio.sleep(min(delay, 5.0))
            else:
                body, status = b"not found", "404 Not Found"
            closing = headers.get("connection", "").lower() == "close"
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
                f"X-Conn: {conn}\r\nConnection: {'close' if closing else 'keep-alive'}\r\n\r\n".encode()
                + (body if method != "HEAD" else b"")
            )
            await writer.drain()
            if closing:
                return
    except (ConnectionError, ssl.SSLError):
        return
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def _until_orphaned(owner: int) -> None:
    """Return once the process that started the server is gone (a killed test run leaves no
    server behind)."""
    while os.getppid() == owner:
        await asyncio.sleep(1.0)


async def _main(port: int, tls_port: int, cert: str, key: str, owner: int) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    plain = await asyncio.start_server(_serve_connection, "127.0.0.1", port, backlog=512)
    tls = await asyncio.start_server(_serve_connection, "127.0.0.1", tls_port, ssl=context, backlog=512)
    async with plain, tls:
        serving = asyncio.gather(plain.serve_forever(), tls.serve_forever())
        await _until_orphaned(owner)
        serving.cancel()


def main(argv: Optional[list[str]] = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--serve"]:
        port, tls_port, cert, key, owner = int(args[1]), int(args[2]), args[3], args[4], int(args[5])
        try:
            asyncio.run(_main(port, tls_port, cert, key, owner))
        except (KeyboardInterrupt, asyncio.CancelledError):
            pass
        return
    servers = start_http_servers()
    print(f"export FORKSAFE_HTTP_URL={servers.http_url}")
    print(f"export FORKSAFE_HTTPS_URL={servers.https_url}")
    print(f"export FORKSAFE_HTTPS_CERT={servers.cert}")
    try:
        servers.server.proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        servers.stop()


if __name__ == "__main__":
    main()
