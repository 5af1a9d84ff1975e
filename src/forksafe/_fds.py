"""Which descriptors a connection opened, for drivers that have no adapter saying so.

We list ``/proc/self/fd`` before and after the connect call and keep the new sockets and regular
files. This is the general mechanism's one blind spot to know about: a descriptor opened by
another thread during that window is attributed to the connection (quarantining it in a child is
harmless to the parent, but cuts the child off from it), and a descriptor the driver opens later
(a C library's background thread, a reconnect inside the driver) is not seen. Adapters, and
``register_driver(fds=...)``, give the exact answer instead. Where ``/proc`` is missing (not
Linux) only adapters can say.
"""

from __future__ import annotations

import os
import stat
from typing import Optional

_FD_DIR = "/proc/self/fd"


def snapshot() -> Optional[frozenset[int]]:
    """Descriptors open now. The listing's own directory descriptor shows up in it and is closed
    by the time it returns, so only descriptors that still exist count (else a socket opened next
    would reuse that number and look old)."""
    try:
        names = os.listdir(_FD_DIR)
    except OSError:
        return None
    alive = set()
    for name in names:
        fd = int(name)
        try:
            os.fstat(fd)
        except OSError:
            continue
        alive.add(fd)
    return frozenset(alive)


def opened_since(before: Optional[frozenset[int]], conn: object = None) -> tuple[list[int], list[str]]:
    """Sockets and files opened since ``before``: (descriptors, paths of the regular files)."""
    after = snapshot()
    if before is None or after is None:
        return [], []
    fds: list[int] = []
    paths: list[str] = []
    for fd in sorted(after - before):
        try:
            mode = os.fstat(fd).st_mode
        except OSError:
            continue
        if stat.S_ISSOCK(mode):
            fds.append(fd)
        elif stat.S_ISREG(mode):
            fds.append(fd)
            try:
                paths.append(os.readlink(f"{_FD_DIR}/{fd}"))
            except OSError:
                pass
    return fds, paths
