"""A driver that replaces its own socket (MySQLdb's ``ping(True)`` reconnect) is still cut off in a child.

The lease recorded the first socket; after the driver reconnected behind forksafe's back, the
child's identity check finds the recorded socket gone and asks the driver for its current one
(``_quarantine._follow``). Control: the raw driver's child holds the live new socket, the one
the parent's session now runs on.
"""

from __future__ import annotations

import os
import time
from typing import Any

import MySQLdb
import pytest
from harness.drivers import BY_NAME

import forksafe


def _fd_target_in_child(fd: int) -> str:
    """What descriptor ``fd`` points at in a forked child, read right after the fork."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.write(w, os.readlink(f"/proc/self/fd/{fd}").encode())
        finally:
            os._exit(0)
    os.close(w)
    target = os.read(r, 256).decode()
    os.close(r)
    os.waitpid(pid, 0)
    return target


@pytest.mark.filterwarnings("ignore:The reconnect parameter of ping:DeprecationWarning")
@pytest.mark.parametrize("kind", ["forksafe", "raw"])
def test_socket_the_driver_replaced_is_cut_in_the_child(kind: str, mariadb: Any) -> None:
    args, kwargs = BY_NAME["MySQLdb"].connect_args(mariadb)
    conn = forksafe.connect(MySQLdb.connect, *args, **kwargs) if kind == "forksafe" else MySQLdb.connect(
        *args, **kwargs)
    cur = conn.cursor()
    cur.execute("SELECT CONNECTION_ID()")
    (session,) = cur.fetchone()
    cur.close()
    first = os.fstat(conn.fileno())
    killer = MySQLdb.connect(*args, **kwargs)
    killer.cursor().execute(f"KILL {int(session)}")
    killer.close()
    time.sleep(0.2)
    conn.ping(True)  # the driver notices the dead session and reconnects on a new socket
    now = os.fstat(conn.fileno())
    assert (now.st_dev, now.st_ino) != (first.st_dev, first.st_ino), "the driver did not reconnect"
    target = _fd_target_in_child(conn.fileno())
    if kind == "forksafe":
        assert target == "/dev/null"
    else:
        assert target.startswith("socket:"), target  # the child could talk to the parent's session
    conn.close()
