"""What the HTTP client integrations (urllib3, httpx/httpcore) share.

* :class:`Patches`: the attributes an integration replaced, so ``uninstall()`` puts back exactly
  what was there (or removes what was not).
* :func:`lease_socket`: the lease that quarantines a client connection's socket in every forked
  child (``forksafe._quarantine``); TLS wraps the same descriptor, so one lease covers both.
* :func:`client_ownership`: the one state machine (``forksafe._ownership.Ownership``) for a client
  object the user made, named after the outermost library that made it (``requests``, ``httpx``,
  ``botocore``...) and the user's ``file:line``, so strict and warn modes say which line to fix.
* :func:`fresh_queue_state`: a ``queue.Queue`` copied by fork may have its mutex held forever
  (another thread of the parent was inside ``get``/``put``); the child gets new locks and an
  empty queue, and the items the parent pooled are kept alive, never closed through the library.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from types import FrameType
from typing import Any, Callable, Optional

from .._fork import state
from .._origin import user_frame
from .._ownership import Ownership
from .._quarantine import Lease, LeaseInfo, abandon

__all__ = ["Patches", "client_ownership", "fresh_queue_state", "lease_socket", "stamp"]

_MISSING = object()


class Patches:
    """Replaced class attributes, restorable in reverse order. ``lock`` serialises an integration's
    install and uninstall (hold it while patching; :meth:`undo` takes it)."""

    def __init__(self) -> None:
        self._undo: list[tuple[Any, str, Any]] = []
        self.lock = threading.Lock()

    def replace(self, owner: Any, name: str, value: Any) -> None:
        self._undo.append((owner, name, owner.__dict__.get(name, _MISSING)))
        setattr(owner, name, value)

    def wrap(self, owner: Any, name: str, make: Callable[[Any], Any]) -> None:
        """Replace ``owner.name`` with ``make(original)`` (the original may be inherited from a
        base class: the wrapper is set on ``owner`` only, and removed again by :meth:`restore`).
        The original is also kept on the wrapper as ``__wrapped__`` for introspection."""
        original = owner.__dict__[name] if name in owner.__dict__ else getattr(owner, name)
        wrapper = make(original)
        try:
            wrapper.__wrapped__ = original
            wrapper.__name__ = getattr(original, "__name__", name)
            wrapper.__qualname__ = getattr(original, "__qualname__", name)
        except (AttributeError, TypeError):
            pass
        self.replace(owner, name, wrapper)

    def restore(self) -> None:
        while self._undo:
            owner, name, old = self._undo.pop()
            if old is _MISSING:
                try:
                    delattr(owner, name)
                except AttributeError:
                    pass
            else:
                setattr(owner, name, old)

    def undo(self) -> None:
        """Put back exactly what was replaced (idempotent): an integration's ``uninstall()``."""
        with self.lock:
            self.restore()

    def __bool__(self) -> bool:
        return bool(self._undo)


def lease_socket(sock: Any, owner: object, label: str, origin: str) -> Optional[Lease]:
    """Lease ``sock``'s descriptor for ``owner`` (the library's connection or stream object)."""
    try:
        fd = sock.fileno()
    except Exception:  # closed already, or not a real socket (a test double, a TLS-in-TLS stream)
        return None
    if fd < 0:
        return None
    return Lease((fd,), info=LeaseInfo(label, "client", origin, os.getpid()), owner=owner)


def releasing_close(original: Callable[[Any], None]) -> Callable[[Any], None]:
    """``close`` that releases the connection's lease once the library closed its socket."""

    def close(self: Any) -> None:
        try:
            original(self)
        finally:
            release(self)

    return close


def release(obj: Any) -> None:
    """``obj`` closed its connection in its own process: drop its lease."""
    lease = obj.__dict__.pop("_forksafe_lease", None) if hasattr(obj, "__dict__") else None
    if lease is not None:
        lease.release()


def client_ownership(default_label: str, kind: str = "client") -> Ownership:
    """The Ownership of a client being made now, by the caller's caller.

    The label is the outermost library between the user's frame and here: ``requests`` for a
    ``requests.Session()``, ``botocore`` for a boto3 client, else ``default_label``. Called once per
    client object (a Session, a PoolManager, an httpx Client), never per request.
    """
    user = user_frame(2)
    label = default_label
    frame: Optional[FrameType] = sys._getframe(1)
    while frame is not None and frame is not user:
        root = str(frame.f_globals.get("__name__", "")).partition(".")[0]
        if root and root != "forksafe":
            label = root
        frame = frame.f_back
    origin = f"{user.f_code.co_filename}:{user.f_lineno}" if user is not None else "<unknown>"
    return Ownership(label, kind=kind, origin=origin)


def adopted_ownership(default_label: str, made_gen: int, made_pid: int) -> Ownership:
    """The Ownership of a client made before the integration was installed (found at first use)."""
    own = Ownership(default_label, kind="client", origin="<made before forksafe was installed>")
    own.made_gen, own.made_pid = made_gen, made_pid
    return own


def ownership_of(obj: Any, label: str, installed_at: tuple[int, int]) -> Ownership:
    """``obj``'s Ownership; one made before install() belongs to the process that installed."""
    own: Optional[Ownership] = obj._forksafe_own
    if own is None:
        own = obj._forksafe_own = adopted_ownership(label, *installed_at)
    return own


def renew_once(obj: Any, own: Ownership, *, claim: bool, renew: Callable[[Any], None]) -> None:
    """First touch of ``obj`` in this generation: the policy (on use: ``claim``), then ``renew``
    (start empty), once, under the object's lock; then it is this generation's."""
    with own.lock():
        if claim:
            own.claim()  # raises under on_fork="raise": the object stays untouched
        if obj._forksafe_gen == state.generation:
            return
        renew(obj)
        obj._forksafe_gen = state.generation


def stamp(obj: Any) -> None:
    """Mark ``obj``'s state as this generation's."""
    obj._forksafe_gen = state.generation


def fresh_queue_state(q: queue.Queue[Any]) -> None:
    """Give a fork-copied queue new locks and no items; the parent's items are kept alive."""
    abandon(q.queue)  # the parent's pooled connections: never closed, never collected here
    q.mutex = threading.Lock()
    q.not_empty = threading.Condition(q.mutex)
    q.not_full = threading.Condition(q.mutex)
    q.all_tasks_done = threading.Condition(q.mutex)
    q.unfinished_tasks = 0
    q._init(q.maxsize)  # the subclass's own empty container
