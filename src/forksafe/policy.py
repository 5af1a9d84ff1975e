"""What a child does at first use of a connection it inherited.

``reconnect`` (default) opens the child's own connection, ``raise`` stops with
:class:`~forksafe.ForkedConnectionError` naming the line that made the connection, ``warn``
reconnects and says so once per connection and process. Set it process-wide with
:func:`set_on_fork` or the ``FORKSAFE_ON_FORK`` environment variable (which reaches interpreters
started later by the program, such as spawn children), or per connection with ``on_fork=``.
"""

from __future__ import annotations

import os
import warnings
from typing import Literal, Optional

from .errors import ForkedConnectionError, ForkSafetyWarning

OnFork = Literal["reconnect", "raise", "warn"]
CHOICES: tuple[OnFork, ...] = ("reconnect", "raise", "warn")
ENV_VAR = "FORKSAFE_ON_FORK"


def validate(policy: str, source: str = "on_fork") -> OnFork:
    if policy not in CHOICES:
        raise ValueError(f"{source} must be one of {', '.join(CHOICES)}; got {policy!r}")
    return policy  # type: ignore[return-value,unused-ignore]  # checked against CHOICES above


def _from_environment() -> OnFork:
    value = os.environ.get(ENV_VAR, "").strip().lower()
    return validate(value, f"the environment variable {ENV_VAR}") if value else "reconnect"


_process_policy: OnFork = _from_environment()


def set_on_fork(policy: str) -> None:
    """Set the process-wide policy for connections that have no ``on_fork=`` of their own."""
    global _process_policy
    _process_policy = validate(policy)


def get_on_fork() -> OnFork:
    return _process_policy


def describe_origin(kind: str, made_pid: int, origin: str) -> str:
    return f"{kind} made in process {made_pid} at {origin}"


def enforce(own: Optional[OnFork], *, kind: str, made_pid: int, origin: str, warned: bool) -> bool:
    """Apply the policy at first use of an inherited object in a child.

    Raises for ``raise``; returns True when a warning was issued (so the caller warns only once).
    """
    policy = own or _process_policy
    if policy == "reconnect":
        return warned
    where = describe_origin(kind, made_pid, origin)
    if policy == "raise":
        raise ForkedConnectionError(
            f"{where} was used in forked process {os.getpid()}. A connection must not cross a fork: "
            "open it in the process that uses it (inside the worker function, a Pool initializer, "
            "Celery's worker_process_init), or let forksafe reconnect (on_fork='reconnect')."
        )
    if not warned:
        warnings.warn(
            f"{where} was inherited by forked process {os.getpid()}; forksafe opened a new connection "
            "for this process and left the parent's untouched. Open connections in the process that "
            "uses them to silence this.",
            ForkSafetyWarning,
            stacklevel=4,
        )
    return True
