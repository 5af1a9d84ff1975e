"""The exceptions forksafe raises itself.

Driver errors (wrong credentials, a server that is down, SQL errors) are never wrapped: users keep
catching ``psycopg2.OperationalError`` and friends as before. Only what the drivers cannot know about,
a process boundary, gets a type of ours.
"""

from __future__ import annotations


class ForkSafeError(Exception):
    """Base class of every error forksafe raises."""


class ForkedConnectionError(ForkSafeError):
    """An object made in one process was used in another.

    Raised for cursors and result streams made before a fork and used in the child, and for an
    inherited connection when the policy is ``raise``. The message names the process and the
    ``file:line`` that made the object, so the user sees their bug in one line.
    """


class ConnectionClosedError(ForkSafeError):
    """The connection was closed with ``close()`` in this process and cannot be used again."""


class ForkSafetyWarning(UserWarning):
    """Issued by the ``warn`` policy when an inherited connection is replaced in a child."""
