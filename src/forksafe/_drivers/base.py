"""What forksafe may know about a driver, as data, and nothing more.

The core never imports a driver, and nothing in ``forksafe._drivers`` imports the rest of
forksafe: an adapter is a record of facts and small pure functions about one DB-API driver,
each optional. Without an adapter the general mechanism still keeps a child away from its
parent's session (the descriptors a connection opened while it was being made are recorded and
quarantined); an adapter sharpens it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

    Args = tuple[Any, ...]
    Kwargs = dict[str, Any]


class DriverAdapter:
    """Knowledge about one DB-API driver: read-only once made.

    ``DriverAdapter(name, modules, connect_functions, **fields)``; a field not given keeps the
    default written below ("not known"). A plain class rather than ``typing.NamedTuple``:
    importing typing would cost ~8 ms at every start (docs/benchmarks.md, "import forksafe").

    ``modules``: top-level module names whose connections this adapter describes (matched against
    the connect function's and the connection class's ``__module__``).
    ``connect_functions``: dotted names of the driver's connect callables, for zero-code mode.
    ``dbapi_module``: the module holding the driver's PEP 249 names (``InterfaceError``, type
    objects): a closed connection raises an error that is also its ``InterfaceError``.
    ``fds(conn)``: the descriptors the connection talks to the server through.
    ``may_reconnect``: the driver can replace its socket on its own (a ``ping`` with reconnect,
    auto-reconnect): its lease is re-checked before every fork.
    ``in_transaction(conn)``: whether a transaction is open, known locally (no I/O); None if unknown.
    ``is_closed(conn)``: whether the driver already knows the connection is dead (no I/O).
    ``reusable(conn)``: the connection is open and outside any transaction, known locally (no
    I/O): a pool may take it back as it is. One call where the pool would otherwise make two
    (``in_transaction`` and ``is_closed``) on every return.
    ``ping(conn)``: raise if the server cannot be reached (one round trip at most).
    ``native_class``: the driver's own functions accept only its own class (C type checks), so
    forksafe hands out a subclass that reconnects in place rather than a proxy (psycopg2): the
    connect function takes the class to make as ``factory_keyword``, the base class is
    ``connection_class``, and ``unguarded`` names the attributes that read no session state
    (read freely in a child without reconnecting).
    ``session_methods``: methods that change the session (``autocommit(True)``, ``select_db``);
    a call is recorded and repeated on every new session, the latest call per method.
    ``registration_methods``: the same, keyed by the first argument too (``create_function``).
    ``snapshot(conn)`` / ``restore(conn, saved)``: state the driver keeps in the Python object
    (registered adapters and typecasters, session settings read back from the object): taken from
    the inherited connection and put on the child's new one; no I/O.
    ``files(args, kwargs)``: the exact files the connection owns (SQLite's database, journal, WAL),
    so the quarantine touches those and no other file that merely shares their prefix.
    ``in_process(args, kwargs)``: the database lives in the process (SQLite ``:memory:``): a child
    has its own copy and keeps using it; nothing is shared, nothing is reconnected.
    ``connection_class(connect_fn, args, kwargs)``: the class the connect call will return,
    without connecting, so ``isinstance`` on a connection not yet opened opens nothing.
    ``unwrap_methods``: methods whose connection arguments must be the driver's own objects
    (sqlite3's ``backup(target)`` checks the exact C type).
    ``secret_positions``: positional arguments of the connect call that are secrets
    (``MySQLdb.connect(host, user, passwd, db)``): masked in every repr and message.
    ``child_reset(cut)``: empty driver-level pools in a forked child (mysql-connector's
    ``pool_name``), calling ``cut(fd)`` on each pooled socket so it is quarantined first.
    """

    name: str
    modules: tuple[str, ...]
    connect_functions: tuple[str, ...] = ()
    dbapi_module: Optional[str] = None
    fds: Optional[Callable[[Any], list[int]]] = None
    may_reconnect: bool = False
    in_transaction: Optional[Callable[[Any], Optional[bool]]] = None
    is_closed: Optional[Callable[[Any], bool]] = None
    reusable: Optional[Callable[[Any], bool]] = None
    ping: Optional[Callable[[Any], None]] = None
    native_class: bool = False
    factory_keyword: str = ""
    unguarded: tuple[str, ...] = ()
    session_methods: tuple[str, ...] = ()
    registration_methods: tuple[str, ...] = ()
    snapshot: Optional[Callable[[Any], Any]] = None
    restore: Optional[Callable[[Any, Any], None]] = None
    files: Optional[Callable[[Args, Kwargs], list[str]]] = None
    in_process: Optional[Callable[[Args, Kwargs], bool]] = None
    connection_class: Optional[Callable[[Callable[..., Any], Args, Kwargs], Optional[type]]] = None
    unwrap_methods: tuple[str, ...] = ()
    secret_positions: tuple[int, ...] = ()
    child_reset: Optional[Callable[[Callable[[int], None]], None]] = None

    def __init__(self, name: str, modules: tuple[str, ...], connect_functions: tuple[str, ...] = (),
                 **fields: Any) -> None:
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise TypeError(
                f"DriverAdapter got unknown field(s) {', '.join(sorted(unknown))}; the fields are: "
                f"{', '.join(FIELDS[2:])}"
            )
        fields.update(name=name, modules=modules, connect_functions=connect_functions)
        for key, value in fields.items():
            object.__setattr__(self, key, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a DriverAdapter is read-only; register_driver({self.name!r}, ...) "
                             "makes a new one")

    def __repr__(self) -> str:
        return f"<DriverAdapter {self.name!r} for {', '.join(self.modules)}>"


FIELDS: tuple[str, ...] = tuple(DriverAdapter.__annotations__)  # in declaration order
