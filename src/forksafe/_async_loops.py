"""Event loops across a fork: the child never closes a loop it inherited.

A loop the child inherits shares its epoll instance with the parent; closing it in the child
(``BaseEventLoop.__del__`` does, when the garbage collector finds it) unregisters its self-pipe from
the *parent's* epoll. So the parent takes a reference to the current loop, the running loop and
every loop a proxy used (:data:`seen_loops`) just before a fork, and the child abandons them.
"""

from __future__ import annotations

import asyncio
import weakref

from . import _fork
from ._quarantine import abandon

__all__ = ["seen_loops"]

_get_running_loop = asyncio._get_running_loop
seen_loops: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()
_seen_loops = seen_loops

_loops_at_fork: list[object] = []


def _current_loops() -> list[object]:
    found: list[object] = list(_seen_loops)
    running = _get_running_loop()
    if running is not None:
        found.append(running)
    policy = getattr(asyncio.events, "_event_loop_policy", None)
    loop = getattr(getattr(policy, "_local", None), "_loop", None)  # the thread's current loop
    if loop is not None:
        found.append(loop)
    return found


def _keep_loops() -> None:
    global _loops_at_fork
    _loops_at_fork = _current_loops()


def _drop_loops() -> None:
    global _loops_at_fork
    _loops_at_fork = []


def _abandon_loops() -> None:
    """In the child: inherited loops are never closed (their epoll is the parent's)."""
    global _loops_at_fork
    abandon(*_loops_at_fork)
    _loops_at_fork = []


_fork.before_fork(_keep_loops)
_fork.after_fork_in_parent(_drop_loops)
_fork.on_child(_abandon_loops)
