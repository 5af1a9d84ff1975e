"""What forksafe did, for whoever listens: the log, the fork audit report, metrics.

The core publishes one :class:`ForkEvent` each time something crosses a process boundary and
forksafe acts on it (a connection inherited by a child and replaced, refused or warned about; a
pool discarding the parent's connections in a child). Events are rare by construction: at most
one per object per process, never on a hot path. With no listener, publishing is one list
check.

Listeners run synchronously, in the process where the event happened, on the thread that
caused it. A listener that raises is reported through the ``forksafe`` logger and never breaks
the program: observability must not become a new way to fail.
"""

from __future__ import annotations

import os

from ._log import get_logger

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Callable

    Listener = Callable[["ForkEvent"], None]

__all__ = ["ForkEvent", "publish", "subscribe"]

_log = get_logger("forksafe.events")


class ForkEvent:
    """One decision forksafe made about an object that crossed a fork.

    ``action``: ``"reconnected"`` (the child got its own connection), ``"warned"`` (the same,
    under the ``warn`` policy), ``"raised"`` (``ForkedConnectionError`` under ``raise``),
    ``"kept"`` (an in-process database the child owns a private copy of), ``"reset"`` (a pool
    or client started afresh in the child).
    ``kind``: ``"connection"``, ``"pool"`` or ``"client"``.
    ``label``: the driver or client, e.g. ``"MySQLdb"``, ``"urllib3"``.
    ``origin``: ``file:line`` of the user's code that made the object.
    ``made_pid``: the process that made it; ``pid``: the process that acted on it.
    """

    __slots__ = ("action", "kind", "label", "made_pid", "origin", "pid")

    def __init__(self, action: str, kind: str, label: str, origin: str, made_pid: int, pid: int) -> None:
        self.action = action
        self.kind = kind
        self.label = label
        self.origin = origin
        self.made_pid = made_pid
        self.pid = pid

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ForkEvent) and all(
            getattr(self, name) == getattr(other, name) for name in ForkEvent.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"ForkEvent(action={self.action!r}, kind={self.kind!r}, label={self.label!r}, "
                f"origin={self.origin!r}, made_pid={self.made_pid}, pid={self.pid})")
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> Callable[[], None]:
    """Call ``listener(event)`` for every event from now on; returns a function that stops it."""
    _listeners.append(listener)

    def unsubscribe() -> None:
        try:
            _listeners.remove(listener)
        except ValueError:
            pass

    return unsubscribe


def publish(action: str, kind: str, label: str, origin: str, made_pid: int) -> None:
    """Tell every listener (no-op without one)."""
    if not _listeners:
        return
    event = ForkEvent(action, kind, label, origin, made_pid, os.getpid())
    for listener in list(_listeners):
        try:
            listener(event)
        except Exception:
            _log.exception("forksafe event listener %r failed on %s", listener, event)
