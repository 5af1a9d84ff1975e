"""Leases and the quarantine: in a forked child, nothing inherited can reach the parent's session.

A connection inherited through fork shares the parent's socket. Closing it through the driver,
or letting its destructor run, sends the protocol's goodbye on the shared socket and ends the
*parent's* session (docs/evidence.md, "A child that closes its copy"). So the child never lets
the driver see the real socket again: every descriptor a live :class:`Lease` names is pointed at
``/dev/null`` with ``dup2`` in the child's at-fork hook, before any other Python code of the
child runs. Writes then vanish, reads fail at once instead of hanging, and whatever the driver
does later (close, GC, TLS shutdown at interpreter exit) touches nothing shared. ``dup2`` changes
only the child's descriptor table: the parent's socket is untouched.

Anything that holds a socket takes a lease on it: DB-API connections (``_proxy``, ``_native``,
the pool), async drivers, HTTP and Redis clients (``forksafe.clients``). One layer, one hook.

**Eager, not lazy.** A driver object can act without passing through forksafe (a cursor's
destructor draining results, a reference cycle collected in an arbitrary order, a raw
connection a pool handed out, a thread-local freed while the child clears the other threads'
states), and only quarantining in the hook covers them all.

**Identity.** Each leased descriptor is recorded with its device and inode, checked with one
``fstat`` before the ``dup2``: a number the connection closed and the process reused for a log
file is never clobbered.

**Following the socket.** Drivers that can reconnect on their own (MySQL drivers' ``ping``
with reconnect, auto-reconnect) get a new socket behind the lease's back. Their leases are
``moving``: just before each fork the parent re-checks them (one ``fstat`` each) and re-reads
the driver's descriptors when the recorded one changed.

**Kept alive across the child's thread clean-up.** CPython frees the other threads' states in
the child before any at-fork hook runs (3.9 to 3.13); a connection held only by a
``threading.local`` of another thread would be destroyed there, on the live shared socket. So
the parent takes a strong reference to every lease's owner just before the fork, and the child
drops them only after the quarantine.

**No deadlock under GC.** A lease is dropped from finalisers (``__del__`` of an unclosed
connection, run by the garbage collector at any allocation). The finaliser path takes no lock
and allocates nothing shared: it appends the key to ``_dead``, which the next registration
drains under the lock. Stale entries are harmless in the meantime (the identity check).
"""

from __future__ import annotations

import logging
import os
import stat
import threading
import weakref
from array import array
from typing import Callable, Iterable, NamedTuple, Optional

from . import _fork
from ._fork import state

__all__ = ["Lease", "LeaseInfo", "abandon", "inherited_leases"]

_log = logging.getLogger("forksafe.quarantine")


class LeaseInfo(NamedTuple):
    """What the audit and the log say about a lease: never a descriptor, never a secret."""

    label: str  # "MySQLdb", "urllib3", ...
    kind: str  # "connection", "pool", "client"
    origin: str  # file:line of the user's code that made it
    made_pid: int


# -- /dev/null, validated ------------------------------------------------------------------------

_devnull_fd = -1
_devnull_id = (0, 0)


def _devnull() -> int:
    """A descriptor on /dev/null, re-opened if the cached number now names something else (a
    daemon that closed every descriptor and reused the number for a socket)."""
    global _devnull_fd, _devnull_id
    fd = _devnull_fd
    if fd >= 0:
        try:
            st = os.fstat(fd)
            if (st.st_dev, st.st_ino) == _devnull_id:
                return fd
        except OSError:
            pass
    fd = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
    st = os.fstat(fd)
    _devnull_fd, _devnull_id = fd, (st.st_dev, st.st_ino)
    return fd


def _identify(fds: Iterable[int]) -> list[tuple[int, int, int]]:
    found = []
    for fd in fds:
        try:
            st = os.fstat(fd)
        except OSError:
            continue
        found.append((fd, st.st_dev, st.st_ino))
    return found


class Lease:
    """The descriptors (and, for SQLite, the files) one connection or client owns.

    ``owner`` is the driver's object, kept referenced by the lease: whoever holds the lease
    holds the connection (the proxy, a pool slot, a client's connection). ``refresh(owner)``
    returns the owner's current descriptors, for drivers that may replace their socket
    (``moving``). ``paths`` are exact file names (SQLite's database, ``-journal``, ``-wal``,
    ``-shm``): descriptors opened on them later are found by name in the child.
    """

    __slots__ = ("__weakref__", "fds", "generation", "info", "key", "owner", "paths", "refresh")

    def __init__(
        self,
        fds: Iterable[int] = (),
        *,
        paths: Iterable[str] = (),
        info: Optional[LeaseInfo] = None,
        owner: object = None,
        refresh: Optional[Callable[[object], list[int]]] = None,
    ) -> None:
        self.key = 0  # 0: not registered (__del__ of a half-made lease does nothing)
        self.generation = state.generation
        self.fds = _identify(fds)
        self.paths = tuple(paths)
        self.info = info or LeaseInfo("", "connection", "", os.getpid())
        self.owner = owner
        self.refresh = refresh
        self.key = _register(self)

    @property
    def stale(self) -> bool:
        """True in a process forked after this lease was made."""
        return self.generation != state.generation

    def update(self) -> None:
        """Re-read the owner's descriptors (after a call that may have reconnected)."""
        if self.refresh is not None and self.key and not self.stale:
            fds = _identify(self.refresh(self.owner))
            if fds != self.fds:
                self.fds = fds
                _changed(self)

    def release(self) -> None:
        """The owner closed its connection in its own process: nothing left to guard."""
        key, self.key = self.key, 0
        if key:
            _dead.append(key)
        self.owner = None

    def quarantine(self) -> None:
        """Cut this lease's descriptors off in the current process now. Idempotent."""
        target = _devnull()
        for fd, dev, ino in self.fds:
            _cut(fd, dev, ino, target)
        if self.paths:
            _cut_files(frozenset(self.paths), target)
        self.release()

    def __del__(self) -> None:  # the owner is gone without closing: its driver closed the socket
        key = self.key
        if key:
            _dead.append(key)  # no lock, nothing shared allocated: safe inside the GC

    def __repr__(self) -> str:
        return f"<forksafe lease {self.info.label} made at {self.info.origin} fds={[f[0] for f in self.fds]}>"


# -- the registry the at-fork hook reads ---------------------------------------------------------
# After fork every page the child touches is copied, and Python touches an object's page just by
# reading it (reference counts). So the hook does not walk Lease objects: the parent keeps one
# flat array of (fd, dev, ino) triples, rebuilt when a lease comes (connects are rare and take
# milliseconds anyway); the hook reads that buffer and nothing else.

_registry_lock = threading.Lock()
_leases: dict[int, weakref.ref[Lease]] = {}  # key -> lease, every live one of this process
_moving: dict[int, weakref.ref[Lease]] = {}  # the subset whose driver may replace its socket
_table: array[int] = array("q")
_files: frozenset[str] = frozenset()
_dead: list[int] = []
_next_key = 0
_kept: list[object] = []  # strong references across the fork (see the module docstring)
_inherited: dict[int, weakref.ref[Lease]] = {}  # the parent's registry, as this child got it
_retired: list[object] = []  # older generations' registries: never decref'd in the child


def _register(lease: Lease) -> int:
    global _next_key
    with _registry_lock:
        _next_key += 1
        key = lease.key = _next_key
        _leases[key] = weakref.ref(lease)
        if lease.refresh is not None:
            _moving[key] = _leases[key]
        _compact_and_rebuild()
        return key


def _changed(lease: Lease) -> None:
    with _registry_lock:
        _compact_and_rebuild()


def _compact_and_rebuild() -> None:
    """Under the lock: drop released leases, then publish a new table in one reference swap."""
    global _table, _files
    while _dead:
        key = _dead.pop()
        _leases.pop(key, None)
        _moving.pop(key, None)
    table: array[int] = array("q")
    files: set[str] = set()
    for ref in list(_leases.values()):
        lease = ref()
        if lease is None or not lease.key:
            continue
        for triple in lease.fds:
            table.extend(triple)
        files.update(lease.paths)
    _table, _files = table, frozenset(files)


def _cut(fd: int, dev: int, ino: int, target: int) -> None:
    if fd == target:
        return
    try:
        st = os.fstat(fd)
        if st.st_ino == ino and st.st_dev == dev:
            os.dup2(target, fd, inheritable=False)
    except OSError:
        pass  # already closed: nothing can be sent through it


def _cut_files(names: frozenset[str], target: int) -> int:
    """Point every descriptor open on exactly one of ``names`` (regular files) at /dev/null; how many."""
    try:
        entries = os.listdir("/proc/self/fd")
    except OSError:
        return 0
    cut = 0
    for name in entries:
        fd = int(name)
        if fd == target:
            continue
        try:
            if os.readlink(f"/proc/self/fd/{name}") in names and stat.S_ISREG(os.fstat(fd).st_mode):
                os.dup2(target, fd, inheritable=False)
                cut += 1
        except OSError:
            continue
    return cut


# -- the fork steps ------------------------------------------------------------------------------

def _before_fork() -> None:
    """In the parent: follow moved sockets, and keep every owner alive across the fork."""
    global _kept
    changed = False
    for ref in list(_moving.values()):
        lease = ref()
        if lease is None or not lease.key or lease.refresh is None:
            continue
        try:
            current = lease.fds[0] if lease.fds else None
            if current is not None:
                st = os.fstat(current[0])
                if (st.st_dev, st.st_ino) == current[1:]:
                    continue
            fds = _identify(lease.refresh(lease.owner))
        except Exception:
            continue  # the driver's object is broken; its old entry stays (identity-checked)
        if fds != lease.fds:
            lease.fds = fds
            changed = True
    if changed and _registry_lock.acquire(timeout=0.5):
        try:
            _compact_and_rebuild()
        finally:
            _registry_lock.release()
    _kept = [ref() for ref in list(_leases.values())]


def _after_fork_in_parent() -> None:
    global _kept
    _kept = []


def _quarantine_in_child() -> None:
    """The child's first step: one fstat and one dup2 per leased descriptor, then start afresh."""
    global _leases, _moving, _table, _files, _registry_lock, _inherited, _kept
    table, files = _table, _files
    # Start the child's registry afresh; keep the parent's alive untouched (no decrefs, no COW).
    _retired.append((_leases, _moving, table))
    _inherited = _leases
    _leases, _moving, _table, _files = {}, {}, array("q"), frozenset()
    _dead.clear()
    _registry_lock = threading.Lock()  # a parent thread may have held the old one at fork
    if table or files:
        target = _devnull()
        fstat, dup2 = os.fstat, os.dup2
        it = iter(table)
        for fd, dev, ino in zip(it, it, it):
            if fd == target:
                continue
            try:
                st = fstat(fd)
                if st.st_ino == ino and st.st_dev == dev:
                    dup2(target, fd, inheritable=False)
            except OSError:
                continue
        on_files = _cut_files(files, target) if files else 0
        if _log.isEnabledFor(logging.DEBUG):
            _log.debug("process %d: quarantined %d inherited descriptors", os.getpid(),
                       len(table) // 3 + on_files)
    abandon(*_kept)  # owners freed now would run their destructors mid-hook; let them be
    _kept = []


def abandon(*objects: object) -> None:
    """Keep inherited, quarantined driver objects alive for the rest of the process.

    Their descriptors already point at /dev/null, so their destructors could do no harm to the
    parent, but drivers complain when an open connection is collected (psycopg's
    ResourceWarning), some would spend time on a goodbye nobody hears, and a destructor may take
    a driver lock a parent thread held at fork. One small list entry per inherited object.
    """
    _abandoned.extend(o for o in objects if o is not None)


_abandoned: list[object] = []


def inherited_leases() -> list[LeaseInfo]:
    """What this process inherited at its last fork (for the audit report); read lazily."""
    found = []
    for ref in list(_inherited.values()):
        lease = ref()
        if lease is not None:
            found.append(lease.info)
    return found


_fork.on_child(_quarantine_in_child)  # registered first: every later step runs quarantined
_fork.before_fork(_before_fork)
_fork.after_fork_in_parent(_after_fork_in_parent)
