"""The DB-API 2.0 (PEP 249) shapes forksafe works with, as ``typing.Protocol`` classes.

forksafe never imports a driver, so it cannot name ``psycopg2.extensions.connection`` or
``MySQLdb.connections.Connection``; what it relies on is the part of PEP 249 every driver has.
These protocols say exactly that much, structurally: any driver's connection and cursor match
them without inheriting from anything (psycopg's and sqlite3's typed classes are checked against
them in tests/core/test_types.py under ``mypy --strict``). Where forksafe hands back the user's
own driver object (``Pool[C]``, ``forksafe.connect``), the signatures keep the driver's type
instead, so the user's type checker still sees ``conn.autocommit`` or ``cur.copy_expert``.

**Type-only.** The core imports this module and ``typing`` only under ``TYPE_CHECKING``:
importing ``typing`` costs ~8 ms, about as much as the rest of ``import forksafe``
(docs/benchmarks.md). Each core module says ``TYPE_CHECKING = False`` rather than importing
the flag from ``typing``; type checkers treat that name as true.
"""

from __future__ import annotations

from typing import Any, Optional, Protocol, Sequence, TypeVar

__all__ = ["DBAPIConnection", "DBAPICursor", "Row"]

Row = Any  # a row is whatever the driver's row factory makes: a tuple, a dict, a named tuple...


class DBAPICursor(Protocol):
    """A PEP 249 cursor: what forksafe calls on one, and what ``forksafe.Cursor`` guards."""

    arraysize: int

    @property
    def description(self) -> Optional[Sequence[Any]]: ...

    @property
    def rowcount(self) -> int: ...

    def execute(self, operation: Any, parameters: Any = ..., /) -> object: ...

    def executemany(self, operation: Any, seq_of_parameters: Any, /) -> object: ...

    def fetchone(self) -> Optional[Row]: ...

    def fetchmany(self, size: int = ..., /) -> Sequence[Row]: ...

    def fetchall(self) -> Sequence[Row]: ...

    def close(self) -> object: ...


class DBAPIConnection(Protocol):
    """A PEP 249 connection: what forksafe calls on one (pool, proxy, ping, transaction end)."""

    def cursor(self) -> DBAPICursor: ...

    def commit(self) -> object: ...

    def rollback(self) -> object: ...

    def close(self) -> object: ...


C = TypeVar("C", bound=DBAPIConnection)
"""A driver's connection type, kept as the user's own (``Pool[psycopg.Connection[Any]]``)."""
