"""Every exception forksafe raises itself, in one module.

Driver errors (wrong credentials, a server that is down, SQL errors) are never wrapped: users keep
catching ``psycopg2.OperationalError`` and friends as before. Only what the drivers cannot know
about, a process boundary or the pool's own rules, gets a type of ours; and where the driver has
a class for the same situation (a closed connection), ours is made a subclass of the driver's
too, so ``except MySQLdb.Error:`` keeps catching it.
"""

from __future__ import annotations

import _thread  # threading's own primitives; importing threading itself costs ~3 ms (docs/benchmarks.md)
import sys

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Optional

__all__ = [
    "ConnectionClosedError", "ForkSafeError", "ForkSafetyWarning", "ForkedConnectionError", "MissingExtra",
    "PoolClosed",
    "PoolError", "PoolReturnError", "PoolTimeout", "closed_error",
]


class ForkSafeError(Exception):
    """Base class of every error forksafe raises."""


class ForkedConnectionError(ForkSafeError):
    """An object made in one process was used in another.

    Raised for cursors and result streams made before a fork and used in the child, and for a
    connection made in another process when the policy is ``raise``. The message names the
    process and the ``file:line`` that made the object, so the user sees their bug in one line.
    """


class ConnectionClosedError(ForkSafeError):
    """The connection was closed with ``close()`` in this process and cannot be used again.

    What is raised is a subclass that is also the driver's ``InterfaceError`` (see
    :func:`closed_error`), as the driver itself would raise on a closed connection.
    """


class ForkSafetyWarning(UserWarning):
    """Issued by the ``warn`` policy when a connection made in another process is replaced."""


class MissingExtra(ForkSafeError, ImportError):
    """An optional feature was used without its extra installed; the message says what to install
    (``pip install 'forksafe[demo]'``)."""


class PoolError(ForkSafeError):
    """Base class of the pool's own errors."""


class PoolTimeout(PoolError, TimeoutError):
    """No connection became available within the timeout: every one of ``max_size`` is in use.

    A ``TimeoutError`` too, so code written for other pools' timeouts catches it.
    """


class PoolClosed(PoolError):
    """The pool was closed with ``close()`` and hands out nothing more."""


class PoolReturnError(PoolError, ValueError):
    """``putconn`` got a connection this pool did not lend out: returned twice, or another pool's."""


_closed_classes: dict[str, type[ConnectionClosedError]] = {}
_lock = _thread.allocate_lock()


def closed_error(dbapi_module: Optional[str], message: str) -> ConnectionClosedError:
    """A :class:`ConnectionClosedError` that is also ``<dbapi_module>.InterfaceError``.

    The driver module is only looked up, never imported: it is loaded already, since the user
    passed its connect function.
    """
    module = sys.modules.get(dbapi_module or "")
    base = getattr(module, "InterfaceError", None)
    if not (isinstance(base, type) and issubclass(base, Exception)):
        return ConnectionClosedError(message)
    assert dbapi_module is not None
    with _lock:
        cls = _closed_classes.get(dbapi_module)
        if cls is None:
            cls = type("ConnectionClosedError", (ConnectionClosedError, base),
                       {"__module__": "forksafe.errors", "__doc__": ConnectionClosedError.__doc__})
            _closed_classes[dbapi_module] = cls
    return cls(message)
