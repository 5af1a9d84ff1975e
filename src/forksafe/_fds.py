"""Which descriptors a connection opened, for drivers that have no adapter saying so.

Two sources, the first preferred:

* **The sockets the connection object holds.** Python-level drivers keep their socket (or an
  object with ``fileno()``) a few attributes deep: those are the connection's own, whatever other
  threads did meanwhile. :func:`reachable` looks through the object's attributes (three levels,
  a bounded number of objects) for ``socket.socket`` instances and objects whose ``fileno()`` names
  a socket.
* **What the connect call opened.** ``/proc/self/fd`` listed before and after it, each descriptor
  identified by number *and* (device, inode): a number another thread closed during the call and
  the driver's socket reused is new (comparing numbers alone would miss it). The new sockets and
  regular files are kept. This is the fallback for C drivers that hide their socket, and it can
  still attribute to the connection a descriptor another thread opened in that window
  (quarantining it in a child is harmless to the parent, but cuts the child off from it).

A descriptor the driver opens later (a reconnect inside the driver) is not seen. Adapters, and
``register_driver(fds=...)``, give the exact answer instead. Where ``/proc`` is missing (not
Linux) only adapters and :func:`reachable` can say.
"""

from __future__ import annotations

import os
import socket
import stat
import types

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Any, Optional

_FD_DIR = "/proc/self/fd"
_DEPTH = 3
_MAX_OBJECTS = 200

Snapshot = dict[int, tuple[int, int]]  # descriptor -> (device, inode)


def snapshot() -> Optional[Snapshot]:
    """Descriptors open now, with their identity. The listing's own directory descriptor shows up
    in it and is closed by the time it returns: only descriptors that still exist count."""
    try:
        names = os.listdir(_FD_DIR)
    except OSError:
        return None
    alive: Snapshot = {}
    for name in names:
        fd = int(name)
        try:
            st = os.fstat(fd)
        except OSError:
            continue
        alive[fd] = (st.st_dev, st.st_ino)
    return alive


def reachable(conn: Any) -> list[int]:
    """Socket descriptors held by ``conn`` or its attributes (breadth first, bounded)."""
    found: list[int] = []
    seen: set[int] = set()
    level = [conn]
    for _ in range(_DEPTH + 1):
        following: list[Any] = []
        for obj in level:
            if id(obj) in seen or len(seen) >= _MAX_OBJECTS:
                continue
            seen.add(id(obj))
            fd = _socket_fd(obj)
            if fd is not None:
                if fd not in found:
                    found.append(fd)
                continue
            following.extend(_attributes(obj))
        level = following
    return found


def _socket_fd(obj: Any) -> Optional[int]:
    if isinstance(obj, socket.socket):
        fd = obj.fileno()
        return fd if fd >= 0 else None
    fileno = getattr(type(obj), "fileno", None)
    if fileno is None or isinstance(obj, type):
        return None
    try:
        fd = fileno(obj)
        return fd if isinstance(fd, int) and fd >= 0 and stat.S_ISSOCK(os.fstat(fd).st_mode) else None
    except Exception:
        return None  # a fileno() that needs a live connection, or names nothing


def _attributes(obj: Any) -> list[Any]:
    """Instance attributes only (``__dict__`` and slots): no properties run, nothing opens."""
    if obj is None or isinstance(obj, _OPAQUE):
        return []
    values: list[Any] = []
    try:
        values.extend(vars(obj).values())
    except TypeError:
        pass
    for klass in type(obj).__mro__:
        for name in klass.__dict__.get("__slots__", ()):
            try:
                values.append(object.__getattribute__(obj, name))
            except (AttributeError, TypeError):
                continue
    return [v for v in values if v is not None and not isinstance(v, _OPAQUE)]


# Never looked into: values, and objects shared by the whole process (modules, classes, code).
_OPAQUE = (str, bytes, bytearray, int, float, complex, bool, type, types.ModuleType, types.FunctionType,
           types.BuiltinFunctionType, types.MethodType)


def opened_since(before: Optional[Snapshot], conn: object = None) -> tuple[list[int], list[str]]:
    """The connection's descriptors: (descriptors, paths of the regular files among them).

    The sockets ``conn`` holds when there are any; otherwise the sockets and files opened since
    ``before``, by identity.
    """
    own = reachable(conn) if conn is not None else []
    if own:
        return own, []
    after = snapshot()
    if before is None or after is None:
        return [], []
    fds: list[int] = []
    paths: list[str] = []
    for fd in sorted(after):
        if before.get(fd) == after[fd]:
            continue
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
