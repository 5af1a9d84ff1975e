"""mysql-connector-python. The pure-Python connection exposes its socket; the C extension's does
not, so for it the general mechanism (descriptors opened during connect) does the work.
``reconnect()`` and ``ping(reconnect=True)`` open a new socket: the lease follows it.

**Its own pools.** ``connect(pool_name=..., pool_size=n)`` hands out connections from a pool kept
in ``mysql.connector.pooling._CONNECTION_POOLS``, opened up front. A forked child that connects
with the same ``pool_name`` would get one of the *parent's* idle sessions (and, giving it back,
reset it from the child). :func:`child_reset` empties that registry in the child: each idle
pooled socket is cut off first (``cut``), the inherited pools are kept alive and never used
(their connections' destructors would otherwise act on the parent's sockets), and the registry's
lock is made anew (a parent thread may have held it at fork). The child's first pooled connect
naming an inherited pool builds a pool of its own with the parent's settings (and size).
"""

from __future__ import annotations

import sys

from .base import DriverAdapter

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

    from .base import Args, Kwargs


def fds(conn: Any) -> list[int]:
    target = getattr(conn, "_cnx", conn)  # a PooledMySQLConnection wraps the real one
    sock = getattr(getattr(target, "_socket", None), "sock", None)
    return [sock.fileno()] if sock is not None else []  # empty: the caller falls back


def in_transaction(conn: Any) -> Optional[bool]:
    return bool(conn.in_transaction)


def ping(conn: Any) -> None:
    conn.ping(reconnect=False)


def connection_class(connect_fn: Callable[..., Any], args: Args, kwargs: Kwargs) -> Optional[type]:
    if "pool_name" in kwargs or "pool_size" in kwargs:
        pooling = sys.modules.get("mysql.connector.pooling")
        return getattr(pooling, "PooledMySQLConnection", None)
    if kwargs.get("use_pure", False) is False:
        cext = sys.modules.get("mysql.connector.connection_cext")
        cls = getattr(cext, "CMySQLConnection", None)
        if isinstance(cls, type):
            return cls
    connection = sys.modules.get("mysql.connector.connection")
    cls = getattr(connection, "MySQLConnection", None)
    return cls if isinstance(cls, type) else None


_retired: list[object] = []  # inherited pools: alive, never used


class _ChildPools(dict):  # type: ignore[type-arg]
    """The child's pool registry. A pool the parent had is made again, from the parent's settings,
    at the child's first connect naming it (``connect(pool_name="x")`` with no other arguments
    keeps working); that connect call does the I/O, never the at-fork hook."""

    def __init__(self, inherited: dict[str, Any]) -> None:
        super().__init__()
        self._inherited = dict(inherited)

    def __contains__(self, name: object) -> bool:
        if isinstance(name, str) and not dict.__contains__(self, name) and name in self._inherited:
            old = self._inherited.pop(name)
            self[name] = type(old)(pool_name=name, pool_size=old.pool_size,
                                   pool_reset_session=old.reset_session, **old._cnx_config)
        return dict.__contains__(self, name)


def child_reset(cut: Callable[[int], None]) -> None:
    pooling = sys.modules.get("mysql.connector.pooling")
    pools = getattr(pooling, "_CONNECTION_POOLS", None)
    if pooling is None or not isinstance(pools, dict) or not pools:
        return
    for pool in list(pools.values()):
        idle = getattr(getattr(pool, "_cnx_queue", None), "queue", ())  # the deque: no Queue lock taken
        for cnx in list(idle):
            for fd in fds(cnx):
                cut(fd)
    _retired.append(pools)
    setattr(pooling, "_CONNECTION_POOLS", _ChildPools(pools))  # noqa: B010  (a module found at run time)
    import threading  # only in a child that has mysql-connector pools: threading is loaded already

    setattr(pooling, "CONNECTION_POOL_LOCK", threading.RLock())  # noqa: B010


ADAPTER = DriverAdapter(
    "mysql.connector", ("mysql",), ("mysql.connector.connect",), dbapi_module="mysql.connector",
    fds=fds, may_reconnect=True, in_transaction=in_transaction, ping=ping,
    session_methods=("set_charset_collation", "set_client_flags", "cmd_init_db"),
    connection_class=connection_class, child_reset=child_reset,
)
