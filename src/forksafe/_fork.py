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
import weakref
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

# Leases of this process's connections. Weak: a lease dies with its owner.
_live: weakref.WeakSet[Lease] = weakref.WeakSet()
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

    __slots__ = ("__weakref__", "fds", "generation", "paths", "quarantined")

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
        _live.add(self)

    @property
    def stale(self) -> bool:
        """True in a process forked after this lease was made."""
        return self.generation != state.generation

    def release(self) -> None:
        """The owner closed its connection in its own process: nothing left to guard."""
        self.quarantined = True
        _live.discard(self)

    def quarantine(self) -> None:
        """Cut this connection off from the server in the current (child) process. Idempotent."""
        if not self.quarantined:
            _live.discard(self)
            _quarantine_all([self])


def _quarantine_all(leases: list[Lease]) -> None:
    """The hot loop of the at-fork hook: one fstat and one dup2 per descriptor, nothing else."""
    target = _devnull()
    fstat, dup2 = os.fstat, os.dup2
    for lease in leases:
        if lease.quarantined:
            continue
        lease.quarantined = True
        for fd, dev, ino in lease.fds:
            try:
                st = fstat(fd)
            except OSError:
                continue  # already closed: nothing can be sent through it
            if st.st_ino == ino and st.st_dev == dev:
                dup2(target, fd, inheritable=False)
        if lease.paths:
            _quarantine_paths(lease.paths, target)


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
    leases = list(_live)
    _live.clear()
    _quarantine_all(leases)
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
