"""Fork detection: the one mechanism every other module builds on.

**Generation.** ``state.generation`` is a plain integer bumped in the child by an
``os.register_at_fork`` hook. Objects remember the generation they belong to and compare it on
use: one attribute read, no system call per operation. Forks that skip Python's hooks (a C
library calling ``fork()`` directly) are caught by :func:`check_pid`, which the slow paths
(open, close, exit) and one call in 64 of the fast paths run (:func:`sampled_check`).

**Hooks.** Other layers register steps here rather than with ``os.register_at_fork`` each:
``before_fork`` steps run in the parent just before the fork, ``after_fork_in_parent`` right
after it, ``on_child`` steps in the child. Child steps run in registration order (the
quarantine registers first, so every later step already runs with the parent's sockets cut off),
and each is isolated: one that raises is logged and the rest still run. An at-fork hook that
aborted half-way would leave the child holding live copies of the parent's sessions.

**Locks.** A lock held by another thread at fork time stays held forever in the child.
``state.lock`` is made anew in the child, before any step runs; per-object locks are made per
generation under it (``_ownership.Ownership.lock``).
"""

from __future__ import annotations

import _thread  # threading's own primitives; importing threading itself costs ~3 ms (docs/benchmarks.md)
import atexit
import os

from ._log import get_logger

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Callable

    Step = Callable[[], None]

__all__ = [
    "after_fork_in_parent", "before_fork", "check_pid", "on_child", "sampled_check", "state",
]

_log = get_logger("forksafe.fork")


class _State:
    """Process-wide fork state; one instance, read on every hot path."""

    __slots__ = ("generation", "lock", "pid")

    def __init__(self) -> None:
        self.generation = 0
        self.pid = os.getpid()
        self.lock = _thread.allocate_lock()


state = _State()

_before: list[Step] = []
_parent: list[Step] = []
_child: list[Step] = []


def before_fork(step: Step) -> None:
    """Run ``step`` in the parent just before every fork (keep it quick: it delays the fork)."""
    _before.append(step)


def after_fork_in_parent(step: Step) -> None:
    """Run ``step`` in the parent right after every fork."""
    _parent.append(step)


def on_child(step: Step) -> None:
    """Run ``step`` in every child right after fork, after the steps registered before it.

    Steps must be quick and must not do I/O on descriptors shared with the parent.
    """
    _child.append(step)


def _run(steps: list[Step], where: str) -> None:
    for step in steps:
        try:
            step()
        except Exception:  # isolated: the other steps must still run
            _log.exception("forksafe %s step %r failed; the other steps ran", where, step)


def _before_fork() -> None:
    _run(_before, "before-fork")


def _after_fork_in_parent() -> None:
    _run(_parent, "after-fork (parent)")


def _after_fork_in_child() -> None:
    state.generation += 1
    state.pid = os.getpid()
    state.lock = _thread.allocate_lock()
    _run(_child, "after-fork (child)")


def check_pid() -> bool:
    """Backstop for forks that bypassed ``os.register_at_fork``. True if one was detected."""
    if os.getpid() != state.pid:
        _after_fork_in_child()
        return True
    return False


_calls = 0
_SAMPLE_MASK = 63  # one call in 64: the backstop costs ~5 ns per hot-path call


def sampled_check() -> None:
    """The pid backstop on one hot-path call in 64 (races only skew the sampling)."""
    global _calls
    _calls += 1
    if not _calls & _SAMPLE_MASK:
        check_pid()


os.register_at_fork(
    before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child
)
# A fork that bypassed the hooks is still caught before interpreter shutdown lets drivers'
# destructors run on the parent's sockets.
atexit.register(check_pid)
