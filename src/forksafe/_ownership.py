"""The one state machine: which process owns an object, and what another process does at first touch.

Every fork-aware object forksafe makes holds an :class:`Ownership`: the generic DB-API proxy,
the psycopg2 connection of the driver's own class, the pool, async connections and the clients
(HTTP, Redis). The same situation gets the same decision and the same message on every path:

* the object was **made in another process** (a connection created in a parent and first used in
  a child, whether or not the parent ever opened it), or **last owned by another process** (an
  inherited open connection): the on-fork policy applies once per object and process:
  ``reconnect`` (log at DEBUG), ``warn`` (a :class:`ForkSafetyWarning` attributed to the user's
  line, once per object and process), ``raise`` (:class:`ForkedConnectionError` naming the line
  that made it and both processes);
* otherwise nothing happens.

Each decision is published as a :class:`~forksafe._events.ForkEvent` (audit report, metrics) and
logged on ``forksafe.fork``.

**One lock per object and generation.** A lock copied by fork may be held forever in the child
(another thread of the parent held it). :meth:`Ownership.lock` makes a new one the first time the
object is touched in a new generation, under the process-wide ``state.lock`` (itself made anew in
the child), and hands that same lock to every thread: the first-use switch is serialised, so
eight threads racing on an inherited connection open one session, not eight.
"""

from __future__ import annotations

import _thread  # threading's own primitives; importing threading itself costs ~3 ms (docs/benchmarks.md)
import os

from . import _events
from ._fork import state
from ._log import get_logger
from ._origin import line_of, user_frame
from ._policy import get_on_fork
from .errors import ForkedConnectionError, ForkSafetyWarning

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from threading import RLock
    from types import CodeType
    from typing import Optional

    from ._policy import OnFork

__all__ = ["Ownership", "forked_cursor_error"]

_log = get_logger("forksafe.fork")


class Ownership:
    """Who made an object, who owns it now, and the policy for the next process that touches it."""

    __slots__ = ("_lock", "_lock_gen", "gen", "kind", "label", "made_gen", "made_pid", "origin", "policy",
                 "warned_gen")

    def __init__(self, label: str, *, kind: str = "connection", origin: str = "",
                 policy: Optional[OnFork] = None) -> None:
        self.label = label
        self.kind = kind
        self.origin = origin
        self.policy = policy
        self.made_gen = state.generation
        self.made_pid = os.getpid()
        self.gen = -1  # generation of the process that last claimed the object; -1: none yet
        self.warned_gen = -1
        self._lock: Optional[RLock] = None
        self._lock_gen = -1

    def lock(self) -> RLock:
        """This object's lock for the current generation: the same one for every caller."""
        if self._lock_gen == state.generation:
            lock = self._lock
            assert lock is not None
            return lock
        with state.lock:
            if self._lock_gen != state.generation:
                self._lock = _thread.RLock()  # written before the generation: readers see it whole
                self._lock_gen = state.generation
            lock = self._lock
            assert lock is not None
            return lock

    def effective_policy(self) -> OnFork:
        return self.policy or get_on_fork()

    def crossing(self) -> bool:
        """True when this process did not make the object and has not claimed it yet."""
        g = state.generation
        return g != self.made_gen and self.gen != g

    def lenient(self) -> bool:
        """May an action with nothing to act on (commit before any use) be a silent no-op here?

        Yes, except for an object that crossed a fork under ``raise``: strict mode reports the
        first use, whatever it is.
        """
        return not self.crossing() or self.effective_policy() != "raise"

    def claim(self) -> None:
        """This process takes the object (opens its own connection); call under :meth:`lock`.

        Applies the on-fork policy first when the object crossed a fork; raises under ``raise``.
        """
        if self.crossing():
            self._crossed()
        self.gen = state.generation

    def keep(self) -> None:
        """This process keeps the inherited object itself (an in-process database it has its own
        copy of): no policy, since nothing is shared."""
        if self.crossing():
            _log.debug("process %d keeps its own copy of %s made at %s", os.getpid(), self.label, self.origin)
            _events.publish("kept", self.kind, self.label, self.origin, self.made_pid)
        self.gen = state.generation

    def reset(self) -> None:
        """This process starts the object afresh (a pool, a client's connection pool); no policy:
        the object itself is not what is used, only what it makes."""
        if self.crossing():
            _log.debug("process %d: %s %s made at %s starts empty", os.getpid(), self.kind, self.label,
                       self.origin)
            _events.publish("reset", self.kind, self.label, self.origin, self.made_pid)
        self.gen = state.generation

    def use_inherited(self, message: str) -> None:
        """This process goes on with the inherited object itself, which nothing can renew (a grpc
        channel, a Kafka producer); call under :meth:`lock`.

        ``message`` says what was used and what to do. Under ``raise`` every use raises it; under
        ``warn`` and ``reconnect`` (there is no reconnecting such an object) it warns once per
        process, at the user's line, and the use proceeds.
        """
        if not self.crossing():
            return
        pid = os.getpid()
        if self.effective_policy() == "raise":
            if self.warned_gen != state.generation:
                self.warned_gen = state.generation
                _log.warning("process %d: %s used after a fork; raising (on_fork='raise')", pid,
                             self.describe())
            _events.publish("raised", self.kind, self.label, self.origin, self.made_pid)
            raise ForkedConnectionError(message)
        if self.warned_gen != state.generation:
            self.warned_gen = state.generation
            _warn_at_user_line(message)
            _log.warning("process %d: %s used after a fork; it cannot be renewed", pid, self.describe())
        _events.publish("warned", self.kind, self.label, self.origin, self.made_pid)
        self.gen = state.generation  # reported in this process; the library does the rest

    def describe(self) -> str:
        return f"{self.label} {self.kind} made in process {self.made_pid} at {self.origin}"

    def _crossed(self) -> None:
        policy = self.effective_policy()
        pid = os.getpid()
        if policy == "raise":
            if self.warned_gen != state.generation:  # every use raises; the log and event say it once
                self.warned_gen = state.generation
                _log.warning("process %d: %s used after a fork; raising (on_fork='raise')", pid,
                             self.describe())
                _events.publish("raised", self.kind, self.label, self.origin, self.made_pid)
            raise ForkedConnectionError(
                f"{self.describe()} was used in forked process {pid}. A {self.kind} must not cross a "
                "fork: open it in the process that uses it (inside the worker function, a Pool "
                "initializer, Celery's worker_process_init), or let forksafe reconnect "
                "(on_fork='reconnect')."
            )
        if policy == "warn":
            if self.warned_gen != state.generation:
                self.warned_gen = state.generation
                _warn_at_user_line(
                    f"{self.describe()} was inherited by forked process {pid}; forksafe opened a new "
                    f"{self.kind} for this process and left the parent's untouched. Open it in the process "
                    "that uses it to silence this."
                )
            _log.warning("process %d: %s crossed a fork; opening its own (on_fork='warn')", pid,
                         self.describe())
            _events.publish("warned", self.kind, self.label, self.origin, self.made_pid)
            return
        _log.debug("process %d: %s crossed a fork; opening its own", pid, self.describe())
        _events.publish("reconnected", self.kind, self.label, self.origin, self.made_pid)


def _warn_at_user_line(message: str) -> None:
    """Issue the warning at the user's frame, however deep in forksafe or a framework we are."""
    import warnings  # here: only the warn policy needs it

    frame = user_frame(2)
    if frame is None:
        warnings.warn(message, ForkSafetyWarning, stacklevel=3)
        return
    module = frame.f_globals.get("__name__", "<unknown>")
    registry = frame.f_globals.setdefault("__warningregistry__", {})
    warnings.warn_explicit(message, ForkSafetyWarning, frame.f_code.co_filename, frame.f_lineno,
                           module=str(module), registry=registry)


def forked_cursor_error(made_pid: int, code: CodeType, lasti: int) -> ForkedConnectionError:
    """The error for a cursor (or result stream) made before a fork and used after it."""
    return ForkedConnectionError(
        f"cursor made in process {made_pid} at {code.co_filename}:{line_of(code, lasti)} was used in "
        f"forked process {os.getpid()}. Cursors cannot cross a fork: make a new cursor in this process "
        "with conn.cursor() (forksafe gives this process its own connection)."
    )
