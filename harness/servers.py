"""Private, throw-away database servers for the tests and benchmarks.

Each server runs from the Debian binaries in a temp dir of its own, listens on a free loopback port,
and is torn down by :meth:`Server.stop`. Nothing here mocks anything: the tests talk to real
MariaDB, PostgreSQL and Redis processes.

PostgreSQL refuses to run as root, so when we are root its files are handed to the ``postgres``
system user (created by Debian's package) and the server runs as that user through ``runuser``.

A missing binary is an error, never a skip: ``scripts/setup.sh`` installs them.

Run ``python -m harness.servers`` to start all three and print their DSNs as shell exports, for
benchmarks or manual work; Ctrl-C stops them.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

USER = "forksafe"
PASSWORD = "s3cret-Pa55"
DATABASE = "forksafe"
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until(check: Callable[[], bool], what: str, proc: subprocess.Popen[bytes], log: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode} while starting:\n{_tail(log)}")
        if check():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start within {START_TIMEOUT}s:\n{_tail(log)}")


def _tail(path: str, lines: int = 30) -> str:
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return "(no log)"


def _port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
        return True
    return False


def _find_binary(pattern_list: list[str]) -> str:
    for pattern in pattern_list:
        found = sorted(glob.glob(pattern)) if any(c in pattern for c in "*?[") else []
        if found:
            return found[-1]
        path = shutil.which(pattern)
        if path:
            return path
    raise RuntimeError(
        f"none of {pattern_list} is installed; run `bash scripts/setup.sh` "
        "(it installs mariadb-server, postgresql and redis-server)"
    )


@dataclass
class Server:
    """One running server process and what a client needs to reach it."""

    kind: str
    port: int
    root: str
    proc: subprocess.Popen[bytes]
    log: str
    params: dict[str, object] = field(default_factory=dict)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)

    # Connection parameters in the forms the drivers take.
    @property
    def pg_dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user={USER} password={PASSWORD} dbname={DATABASE}"

    @property
    def url(self) -> str:
        scheme = {"postgresql": "postgresql", "mariadb": "mysql", "redis": "redis"}[self.kind]
        if self.kind == "redis":
            return f"redis://127.0.0.1:{self.port}/0"
        return f"{scheme}://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{DATABASE}"

    @property
    def mysql_kwargs(self) -> dict[str, object]:
        return {"host": "127.0.0.1", "port": self.port, "user": USER, "password": PASSWORD,
                "database": DATABASE}


def _is_root() -> bool:
    return os.geteuid() == 0


def start_postgresql(port: Optional[int] = None) -> Server:
    initdb = _find_binary(["/usr/lib/postgresql/*/bin/initdb", "initdb"])
    postgres = os.path.join(os.path.dirname(initdb), "postgres")
    root = tempfile.mkdtemp(prefix="forksafe-pg-")
    data, log, pwfile = os.path.join(root, "data"), os.path.join(root, "server.log"), os.path.join(root, "pw")
    with open(pwfile, "w") as f:
        f.write(PASSWORD + "\n")
    prefix: list[str] = []
    if _is_root():
        # PostgreSQL will not run as root: give its files to the postgres system user.
        import pwd

        pw = pwd.getpwnam("postgres")
        os.chmod(root, 0o755)
        for path in (root, pwfile):
            os.chown(path, pw.pw_uid, pw.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        prefix + [initdb, "-D", data, "-U", USER, f"--pwfile={pwfile}", "-A", "scram-sha-256",
                  "-E", "UTF8", "--no-sync"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    port = port or free_port()
    logf = open(log, "wb")
    proc = subprocess.Popen(
        prefix + [postgres, "-D", data, "-p", str(port), "-k", root, "-c", "listen_addresses=127.0.0.1",
                  "-c", "max_connections=400", "-c", "fsync=off", "-c", "synchronous_commit=off",
                  "-c", "full_page_writes=off", "-c", "shared_buffers=64MB"],
        stdout=logf, stderr=subprocess.STDOUT, start_new_session=True,
    )
    logf.close()
    server = Server("postgresql", port, root, proc, log)
    _wait_until(lambda: _pg_ready(server), "PostgreSQL", proc, log)
    return server


def _pg_ready(server: Server) -> bool:
    if not _port_open(server.port):
        return False
    import psycopg2

    try:
        conn = psycopg2.connect(server.pg_dsn.replace(f"dbname={DATABASE}", "dbname=postgres"))
    except psycopg2.OperationalError:
        return False
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
        if cur.fetchone() is None:
            cur.execute(f"CREATE DATABASE {DATABASE}")
    conn.close()
    return True


def start_mariadb() -> Server:
    mariadbd = _find_binary(["mariadbd", "/usr/sbin/mariadbd", "mysqld", "/usr/sbin/mysqld"])
    install_db = _find_binary(["mariadb-install-db", "mysql_install_db"])
    root = tempfile.mkdtemp(prefix="forksafe-mariadb-")
    data, log, sock = os.path.join(root, "data"), os.path.join(root, "server.log"), os.path.join(root, "sock")
    user = ["--user=root"] if _is_root() else []
    subprocess.run(
        [install_db, "--no-defaults", f"--datadir={data}", "--auth-root-authentication-method=normal",
         "--skip-test-db", "--skip-name-resolve"] + user,
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    port = free_port()
    logf = open(log, "wb")
    proc = subprocess.Popen(
        [mariadbd, "--no-defaults", f"--datadir={data}", f"--port={port}", "--bind-address=127.0.0.1",
         f"--socket={sock}", f"--pid-file={root}/pid", "--skip-name-resolve", "--max-connections=500",
         "--innodb-flush-log-at-trx-commit=0", "--innodb-buffer-pool-size=64M", "--skip-log-bin",
         "--innodb-doublewrite=0", f"--log-error={log}"] + user,
        stdout=logf, stderr=subprocess.STDOUT, start_new_session=True,
    )
    logf.close()
    server = Server("mariadb", port, root, proc, log, {"socket": sock})
    _wait_until(lambda: _mariadb_ready(server, sock), "MariaDB", proc, log)
    return server


def _mariadb_ready(server: Server, sock: str) -> bool:
    if not os.path.exists(sock):
        return False
    import pymysql

    try:
        conn = pymysql.connect(unix_socket=sock, user="root", password="")
    except pymysql.err.OperationalError:
        return False
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE IF NOT EXISTS {DATABASE}")
        cur.execute(f"CREATE USER IF NOT EXISTS '{USER}'@'%' IDENTIFIED BY '{PASSWORD}'")
        cur.execute(f"GRANT ALL ON *.* TO '{USER}'@'%'")
    conn.commit()
    conn.close()
    return _port_open(server.port)


def start_redis() -> Server:
    redis_server = _find_binary(["redis-server"])
    root = tempfile.mkdtemp(prefix="forksafe-redis-")
    log = os.path.join(root, "server.log")
    port = free_port()
    logf = open(log, "wb")
    proc = subprocess.Popen(
        [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", root, "--daemonize", "no", "--protected-mode", "no"],
        stdout=logf, stderr=subprocess.STDOUT, start_new_session=True,
    )
    logf.close()
    server = Server("redis", port, root, proc, log)
    _wait_until(lambda: _port_open(port), "Redis", proc, log)
    return server


STARTERS: dict[str, Callable[[], Server]] = {
    "postgresql": start_postgresql,
    "mariadb": start_mariadb,
    "redis": start_redis,
}


@contextlib.contextmanager
def running(kinds: Optional[list[str]] = None) -> Iterator[dict[str, Server]]:
    servers: dict[str, Server] = {}
    try:
        for kind in kinds or list(STARTERS):
            servers[kind] = STARTERS[kind]()
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def main() -> None:
    with running(sys.argv[1:] or None) as servers:
        for s in servers.values():
            print(f"export FORKSAFE_{s.kind.upper()}_URL='{s.url}'")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
