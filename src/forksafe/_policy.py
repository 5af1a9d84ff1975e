"""What a child does at first use of a connection it inherited.

``reconnect`` (default) opens the child's own connection, ``raise`` stops with
:class:`~forksafe.ForkedConnectionError` naming the line that made the connection, ``warn``
reconnects and says so once per connection and process. Set it process-wide with
:func:`set_on_fork` or the ``FORKSAFE_ON_FORK`` environment variable (which reaches interpreters
started later by the program, such as spawn children), or per connection with ``on_fork=``.
"""

from __future__ import annotations

import os
from typing import Literal

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
