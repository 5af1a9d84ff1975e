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
``moving``: when the child's identity check finds that such a lease's descriptor is no longer
the recorded socket, it asks the driver object (kept alive across the fork, see below) for its
current descriptors and cuts those. The check is the ``fstat`` the child makes anyway, so a
moving lease costs nothing more until its socket really moved; checking in the parent before
every fork cost one more ``fstat`` per connection per fork (docs/benchmarks.md, "The cost at
fork time").

**Kept alive across the child's thread clean-up.** CPython frees the other threads' states in
the child before any at-fork hook runs (3.9 to 3.13); a connection held only by a
``threading.local`` of another thread would be destroyed there, on the live shared socket. So
the parent takes a strong reference to every lease (and so its owner) just before the fork, and
the child keeps those for good: they are the parent's objects, whose destructors must not run here.

**No deadlock under GC.** A lease is dropped from finalisers (``__del__`` of an unclosed
connection, run by the garbage collector at any allocation). The finaliser path takes no lock
and allocates nothing shared: it appends the key to ``_dead``, which the next registration
drains under the lock. Stale entries are harmless in the meantime (the identity check).
"""

from __future__ import annotations

import _thread  # threading's own primitives; importing threading itself costs ~3 ms (docs/benchmarks.md)
import os
import stat
import weakref

from . import _fork
from ._fork import state
from ._log import DEBUG, get_logger

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from array import array
    from typing import Callable, Iterable, Optional

__all__ = ["Lease", "LeaseInfo", "abandon", "inherited_leases"]

_log = get_logger("forksafe.quarantine")


class LeaseInfo:
    """What the audit and the log say about a lease: never a descriptor, never a secret."""

    __slots__ = ("kind", "label", "made_pid", "origin")

    def __init__(self, label: str, kind: str, origin: str, made_pid: int) -> None:
        self.label = label  # "MySQLdb", "urllib3", ...
        self.kind = kind  # "connection", "pool", "client"
        self.origin = origin  # file:line of the user's code that made it
        self.made_pid = made_pid

    def __repr__(self) -> str:
        return f"LeaseInfo({self.label!r}, {self.kind!r}, {self.origin!r}, {self.made_pid})"


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
# flat array of (fd, dev, ino, key) entries, rebuilt when a lease comes (connects are rare and take
# milliseconds anyway); the hook reads that buffer and nothing else, unless a moving lease's socket
# moved (``key`` is that lease's, 0 for a lease that cannot move).

_registry_lock = _thread.allocate_lock()
_registry_gen = state.generation  # the process generation the registry below belongs to
_leases: dict[int, weakref.ref[Lease]] = {}  # key -> lease, every live one of this process
_table: array[int] | tuple[()] = ()  # an array("q") once a lease exists
_files: frozenset[str] = frozenset()
_dead: list[int] = []
_next_key = 0
_kept: list[object] = []  # strong references across the fork (see the module docstring)
_child_target = -1  # /dev/null's descriptor, validated just before the fork; -1: none needed
_child_debug = False  # DEBUG logging was on at the fork
_inherited: dict[int, weakref.ref[Lease]] = {}  # the parent's registry, as this child got it
_retired: list[object] = []  # older generations' registries: never decref'd in the child


def _own_registry() -> None:
    """Start this process's registry afresh if it is still the parent's (first use in a child).

    Not done in the child's at-fork step: after fork, every object the child creates or even
    reads is a page the kernel must copy, and on the fork path that cost is paid by every fork
    (docs/benchmarks.md, "The cost at fork time"). The parent's registry is kept as it is, never
    decref'd.
    """
    global _leases, _table, _files, _registry_lock, _registry_gen, _inherited, _kept
    if _registry_gen == state.generation:
        return
    with state.lock:  # made anew in the child: a parent thread may have held the registry lock
        if _registry_gen == state.generation:
            return
        _retired.append((_leases, _table, _kept))  # _kept: the parent's owners, alive for good
        _inherited = _leases
        _leases, _table, _files, _kept = {}, (), frozenset(), []
        _dead.clear()
        _registry_lock = _thread.allocate_lock()
        _registry_gen = state.generation


def _register(lease: Lease) -> int:
    global _next_key
    _own_registry()
    with _registry_lock:
        _next_key += 1
        key = lease.key = _next_key
        _leases[key] = weakref.ref(lease)
        _compact_and_rebuild()
        return key


def _changed(lease: Lease) -> None:
    _own_registry()
    with _registry_lock:
        _compact_and_rebuild()


def _compact_and_rebuild() -> None:
    """Under the lock: drop released leases, then publish a new table in one reference swap."""
    global _table, _files
    while _dead:
        key = _dead.pop()
        _leases.pop(key, None)
    from array import array  # here, at the first lease: it imports collections.abc (~2.5 ms)

    table = array("q")
    files: set[str] = set()
    for key, ref in list(_leases.items()):
        lease = ref()
        if lease is None or not lease.key:
            continue
        moving_key = key if lease.refresh is not None else 0
        for triple in lease.fds:
            table.extend(triple)
            table.append(moving_key)
        if moving_key and not lease.fds:
            table.extend((-1, 0, 0, moving_key))  # no socket now: the driver may open one later
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
    """In the parent: keep every owner alive across the fork (see the module docstring), and
    settle here what the child's step would otherwise look up (see ``_quarantine_in_child``)."""
    global _kept, _child_target, _child_debug
    _own_registry()
    _kept = [ref() for ref in list(_leases.values())]
    _child_target = _devnull() if (_table or _files) else -1
    _child_debug = _log.isEnabledFor(DEBUG)


def _after_fork_in_parent() -> None:
    global _kept
    _kept = []


def _quarantine_in_child() -> None:
    """The child's first step: one fstat and one dup2 per leased descriptor, and nothing else.

    After fork, every page the child writes is copied first, and Python writes to every object
    it reads (reference counts): on this path a page touched costs more than a system call
    (docs/benchmarks.md, "The cost at fork time"). So the step reads the parent's table and two
    values settled before the fork (/dev/null's descriptor, validated there; whether DEBUG logging
    is on), and creates nothing it does not need: the registry starts afresh at first use
    (``_own_registry``), the parent's owners stay referenced by ``_kept``.
    """
    table, files = _table, _files
    if not table and not files:
        return
    target = _child_target if _child_target >= 0 else _devnull()
    fstat, dup2 = os.fstat, os.dup2
    moved = []
    it = iter(table)
    for fd, dev, ino, moving_key in zip(it, it, it, it):
        if fd == target:
            continue
        try:
            st = fstat(fd)
            if st.st_ino == ino and st.st_dev == dev:
                dup2(target, fd, False)  # not inheritable
                continue
        except OSError:
            pass
        if moving_key:
            moved.append(moving_key)
    for key in moved:
        _follow(key, target)
    on_files = _cut_files(files, target) if files else 0
    if _child_debug:
        _log.debug("process %d: quarantined %d inherited descriptors", os.getpid(),
                   len(table) // 4 + on_files)


def _follow(key: int, target: int) -> None:
    """In the child: a moving lease's socket is not the recorded one; cut the driver's current one."""
    ref = _leases.get(key)  # still the parent's registry (see _own_registry)
    lease = ref() if ref is not None else None
    if lease is None or lease.refresh is None or lease.owner is None:
        return
    try:
        fds = lease.refresh(lease.owner)  # the driver's own answer, read from memory: no I/O
    except Exception:
        return  # the driver object is broken: it has no socket to reach the parent through
    for fd in fds:
        if fd >= 0 and fd != target:
            try:
                os.dup2(target, fd, inheritable=False)
            except OSError:
                continue


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
    _own_registry()
    found = []
    for ref in list(_inherited.values()):
        lease = ref()
        if lease is not None:
            found.append(lease.info)
    return found


_fork.on_child(_quarantine_in_child)  # registered first: every later step runs quarantined
_fork.before_fork(_before_fork)
_fork.after_fork_in_parent(_after_fork_in_parent)
