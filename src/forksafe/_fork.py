"""Fork detection and quarantine: the one mechanism every other module builds on.

**Generation.** ``state.generation`` is a plain integer bumped in the child by an
``os.register_at_fork`` hook. Objects remember the generation they were made in and compare it
on use: one attribute read, no system call per operation. Forks that skip Python's hooks (a C
library calling ``fork()`` directly) are caught by :func:`check_pid`, which the slow paths
(open, close, finalisation, exit) and a sampled fraction of fast-path calls run.

**Quarantine.** A connection inherited from the parent shares the parent's socket. Closing it
through the driver, or letting its destructor run, sends the protocol's goodbye on the shared
socket and ends the *parent's* session. So the child never lets the driver see the real socket
again: every descriptor the connection owns is pointed at ``/dev/null`` with ``dup2``. Writes then
vanish, reads fail at once instead of hanging, and whatever the driver does later (close, GC,
TLS shutdown at interpreter exit) touches nothing shared. The parent's descriptors are untouched:
``dup2`` changes only the child's descriptor table.

A :class:`Lease` records the descriptors of one connection, with each one's device and inode so
a descriptor number that was closed and reused for something else is never clobbered. Every live
lease is quarantined in the child's at-fork hook itself, before any Python code of the child runs.
We chose that over quarantining lazily at first touch: a driver object can act without passing
through forksafe (a cursor's destructor draining results, a reference cycle collected in an
arbitrary order, a raw connection a pool handed out), and only the eager form covers them all.
It costs one ``fstat`` and one ``dup2`` per descriptor (``benchmarks/`` measures it against the
fork itself).

**Locks.** A lock held by another thread at fork time stays held forever in the child.
``state.lock`` is replaced in the child hook, and per-object locks are re-made under it the first
time an object is touched in a new generation (see :func:`fresh_lock`).
"""

from __future__ import annotations

import atexit
import os
import stat
import threading
from array import array
from typing import Callable, Iterable, Optional

__all__ = ["Lease", "check_pid", "fresh_lock", "on_child", "state"]


class _State:
    """Process-wide fork state; one instance, read on every hot path."""

    __slots__ = ("generation", "lock", "pid")

    def __init__(self) -> None:
        self.generation = 0
        self.pid = os.getpid()
        self.lock = threading.Lock()


state = _State()

_child_callbacks: list[Callable[[], None]] = []
_abandoned: list[object] = []
_devnull_fd: Optional[int] = None


def _devnull() -> int:
    global _devnull_fd
    if _devnull_fd is None:
        _devnull_fd = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
    return _devnull_fd


class Lease:
    """The descriptors one connection owns, and the generation they belong to.

    ``paths`` are regular files the connection had open (SQLite): any descriptor whose target
    starts with one of them is quarantined too, which catches journals and WAL files the library
    opens after the connection was made.
    """

    __slots__ = ("fds", "generation", "key", "paths", "quarantined")

    def __init__(self, fds: Iterable[int], *, paths: Iterable[str] = ()) -> None:
        self.generation = state.generation
        self.fds: list[tuple[int, int, int]] = []
        for fd in fds:
            try:
                st = os.fstat(fd)
            except OSError:
                continue
            self.fds.append((fd, st.st_dev, st.st_ino))
        self.paths = tuple(paths)
        self.quarantined = False
        self.key = _register(self.fds, self.paths)

    @property
    def stale(self) -> bool:
        """True in a process forked after this lease was made."""
        return self.generation != state.generation

    def release(self) -> None:
        """The owner closed its connection in its own process: nothing left to guard."""
        self.quarantined = True
        _unregister(self.key)

    def quarantine(self) -> None:
        """Cut this connection off from the server in the current process. Idempotent."""
        if not self.quarantined:
            self.quarantined = True
            _unregister(self.key)
            target = _devnull()
            for fd, dev, ino in self.fds:
                _cut(fd, dev, ino, target)
            if self.paths:
                _quarantine_paths(self.paths, target)

    def __del__(self) -> None:  # the owner is gone without closing: its driver closed the socket
        key = getattr(self, "key", None)  # None if __init__ did not finish
        if key is not None:
            _unregister(key)


# The registry the at-fork hook reads. After fork every page the child touches is copied, and
# Python touches an object's page just by reading it (reference counts), so walking 100 Lease
# objects in the hook cost about 20 us each in copy-on-write faults. Instead the parent keeps one
# flat array of (fd, dev, ino) triples, rebuilt whenever a lease comes or goes (connects and
# closes: rare, and milliseconds anyway); the hook reads that one buffer and nothing else.
_entries: dict[int, tuple[list[tuple[int, int, int]], tuple[str, ...]]] = {}
_table: array[int] = array("q")
_path_leases: dict[int, tuple[str, ...]] = {}
_registry_lock = threading.Lock()
_next_key = 0
_retired: list[object] = []  # the child's inherited registry, kept so nothing is decref'd


def _rebuild() -> None:
    global _table
    table: array[int] = array("q")
    for fds, _ in _entries.values():
        for triple in fds:
            table.extend(triple)
    _table = table  # one reference swap: the hook sees the old table or the new one, whole


def _register(fds: list[tuple[int, int, int]], paths: tuple[str, ...]) -> int:
    global _next_key
    with _registry_lock:
        _next_key += 1
        _entries[_next_key] = (fds, paths)
        if paths:
            _path_leases[_next_key] = paths
        _rebuild()
        return _next_key


def _unregister(key: int) -> None:
    try:
        with _registry_lock:
            if _entries.pop(key, None) is not None:
                _path_leases.pop(key, None)
                _rebuild()
    except Exception:  # interpreter shutdown: module globals may already be gone
        pass


def _cut(fd: int, dev: int, ino: int, target: int) -> None:
    try:
        st = os.fstat(fd)
    except OSError:
        return  # already closed: nothing can be sent through it
    if st.st_ino == ino and st.st_dev == dev:
        os.dup2(target, fd, inheritable=False)


def _quarantine_table() -> None:
    """The at-fork hook's work: one fstat and one dup2 per leased descriptor."""
    global _entries, _table, _path_leases, _registry_lock
    table, paths = _table, _path_leases
    # Start the child's registry afresh; keep the parent's alive untouched (no decrefs, no COW).
    _retired.append((_entries, table, paths))
    _entries, _table, _path_leases = {}, array("q"), {}
    _registry_lock = threading.Lock()  # a parent thread may have held the old one at fork
    if not table and not paths:
        return
    target = _devnull()
    fstat, dup2 = os.fstat, os.dup2
    it = iter(table)
    for fd, dev, ino in zip(it, it, it):
        try:
            st = fstat(fd)
        except OSError:
            continue
        if st.st_ino == ino and st.st_dev == dev:
            dup2(target, fd, inheritable=False)
    for lease_paths in paths.values():
        _quarantine_paths(lease_paths, target)


def _quarantine_paths(paths: tuple[str, ...], target: int) -> None:
    try:
        entries = os.listdir("/proc/self/fd")
    except OSError:
        return
    for name in entries:
        fd = int(name)
        if fd == target:
            continue
        try:
            link = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
        if link.startswith(paths):
            try:
                if stat.S_ISREG(os.fstat(fd).st_mode):
                    os.dup2(target, fd, inheritable=False)
            except OSError:
                pass


def abandon(obj: object) -> None:
    """Keep an inherited, quarantined driver object alive for the rest of the process.

    Its descriptors already point at /dev/null, so its destructor could do no harm to the parent,
    but drivers complain when an open connection is collected (psycopg's ResourceWarning), and
    some would spend time on a goodbye nobody hears. One small object per inherited connection.
    """
    _abandoned.append(obj)


def fresh_lock(current: Optional[threading.Lock], made_in: int) -> tuple[threading.Lock, int]:
    """Return a lock safe to use in this generation, re-making one that was copied by fork."""
    if current is not None and made_in == state.generation:
        return current, made_in
    with state.lock:
        return threading.Lock(), state.generation


def on_child(callback: Callable[[], None]) -> None:
    """Run ``callback`` in every child right after fork (after forksafe's own bookkeeping).

    Callbacks must be quick and must not do I/O on shared descriptors.
    """
    _child_callbacks.append(callback)


def _after_fork_in_child() -> None:
    state.generation += 1
    state.pid = os.getpid()
    state.lock = threading.Lock()
    _quarantine_table()
    for callback in _child_callbacks:
        callback()


def check_pid() -> bool:
    """Backstop for forks that bypassed ``os.register_at_fork``. True if one was detected."""
    if os.getpid() != state.pid:
        _after_fork_in_child()
        return True
    return False


os.register_at_fork(after_in_child=_after_fork_in_child)
# A fork that bypassed the hook is still caught before interpreter shutdown lets drivers'
# destructors run on the parent's sockets.
atexit.register(check_pid)
