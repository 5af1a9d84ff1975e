"""Laziness: introspecting a forksafe connection never opens one, and in a forked child never
applies the on-fork policy; the calls docs/connect.md ("What opens a connection") lists as
opening do open.

"Opens" is counted in descriptors: a new socket (server drivers) or a new descriptor on the
database file (SQLite) in this process. psycopg2's connection is the driver's own class and opens
when it is made (``_native``: a psycopg2 object that never connected has no typecaster tables);
for it the check is that introspection opens nothing *more*, and reconnects nothing in a child.
"""

from __future__ import annotations

import importlib
import pickle
import warnings
import weakref
from typing import Any, Callable

import pytest
from conf_kit import DRIVER_IDS, in_children, open_descriptors
from harness.drivers import DRIVERS, DriverSpec

import forksafe
from forksafe._drivers import adapter_for_function

PEP249_NAMES = ("cursor", "commit", "rollback", "close", "Warning", "Error", "InterfaceError",
                "DatabaseError", "DataError", "OperationalError", "IntegrityError", "InternalError",
                "ProgrammingError", "NotSupportedError")


def _introspections(conn: Any, driver_class: type) -> dict[str, Callable[[], Any]]:
    """Everything that only looks at the connection (what docs/connect.md lists as not opening)."""
    checks: dict[str, Callable[[], Any]] = {
        "isinstance(conn, dict)": lambda: isinstance(conn, dict),
        "isinstance(conn, driver class)": lambda: isinstance(conn, driver_class),
        "type(conn)": lambda: type(conn),
        "conn.__class__": lambda: conn.__class__,
        "repr": lambda: repr(conn),
        "str": lambda: str(conn),
        "f-string": lambda: f"{conn}",
        "dir": lambda: dir(conn),
        "hash and ==": lambda: (hash(conn), conn == conn),
        "weakref": lambda: weakref.ref(conn),
        "pickle.dumps": lambda: pickle.dumps(conn),
        "__reduce_ex__": lambda: conn.__reduce_ex__(2),
        "closed": lambda: conn.closed,
    }
    for name in PEP249_NAMES:
        checks[f"hasattr {name}"] = lambda name=name: hasattr(conn, name)
        checks[f"getattr {name}"] = lambda name=name: getattr(conn, name, None)
    return checks


def _driver_class(spec: DriverSpec, args: Any, kwargs: Any) -> type:
    """The class the driver's connect call returns, found without connecting (a user who checks
    against it has imported its module: MySQLdb imports ``MySQLdb.connections`` only to connect)."""
    importlib.import_module({"MySQLdb": "MySQLdb.connections"}.get(spec.module, spec.module))
    adapter = adapter_for_function(spec.connect_fn)
    assert adapter is not None and adapter.connection_class is not None
    cls = adapter.connection_class(spec.connect_fn, args, kwargs)
    assert isinstance(cls, type)
    return cls


def _opens_at_creation(spec: DriverSpec) -> bool:
    adapter = adapter_for_function(spec.connect_fn)
    return bool(adapter is not None and adapter.native_class)


@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_introspection_opens_nothing(spec: DriverSpec, server_for: Any) -> None:
    args, kwargs = spec.connect_args(server_for(spec))
    before = open_descriptors()
    conn = forksafe.connect(spec.connect_fn, *args, **kwargs)
    made = open_descriptors()
    assert (made != before) == _opens_at_creation(spec)
    opened = []
    for label, look in _introspections(conn, _driver_class(spec, args, kwargs)).items():
        look()
        if open_descriptors() != made:
            opened.append(label)
            made = open_descriptors()
    assert opened == [], f"these opened a connection: {opened}"
    assert isinstance(conn, _driver_class(spec, args, kwargs)) and not isinstance(conn, dict)
    conn.cursor()  # control: the count does see a connection being opened
    assert _opens_at_creation(spec) or open_descriptors() != made
    conn.close()


@pytest.mark.fork
@pytest.mark.parametrize("used_in_parent", [True, False], ids=["used-in-parent", "never-used-in-parent"])
@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_introspection_in_a_child_applies_no_policy(spec: DriverSpec, used_in_parent: bool,
                                                     server_for: Any) -> None:
    """Under ``raise``, a child may look at an inherited connection freely: nothing raises, warns
    or opens. Control: its first real use does raise."""
    args, kwargs = spec.connect_args(server_for(spec))
    conn = forksafe.connect(spec.connect_fn, *args, on_fork="raise", **kwargs)
    if used_in_parent:
        conn.cursor().close()

    def child(_: int) -> Any:
        before = open_descriptors()
        failures = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for label, look in _introspections(conn, _driver_class(spec, args, kwargs)).items():
                try:
                    look()
                except Exception as exc:
                    failures.append(f"{label}: {exc!r}")
        opened = open_descriptors() != before
        try:
            conn.cursor()
            control = "no error"
        except forksafe.ForkedConnectionError:
            control = "ForkedConnectionError"
        return [failures, [str(w.message) for w in caught], opened, control]

    ((failures, warned, opened, control),) = in_children(child)
    assert failures == [] and warned == [] and not opened
    assert control == "ForkedConnectionError"
    conn.close()


# What opens, per driver: a method of the driver's class called through the connection, and a
# driver attribute that lives in the connection (a property, or one set by the driver's __init__).
DRIVER_METHOD = {"MySQLdb": ("ping", ()), "pymysql": ("ping", ()), "mysql.connector": ("ping", ()),
                 "psycopg": ("execute", ("SELECT 1",)), "sqlite3": ("execute", ("SELECT 1",))}
DRIVER_ATTRIBUTE = {"MySQLdb": "open", "pymysql": "host", "mysql.connector": "autocommit",
                    "psycopg": "autocommit", "sqlite3": "isolation_level"}
PROXY_DRIVERS = [d for d in DRIVERS if d.name in DRIVER_METHOD]


@pytest.mark.parametrize("spec", PROXY_DRIVERS, ids=DRIVER_IDS)
def test_what_opens_a_connection(spec: DriverSpec, server_for: Any) -> None:
    """Each call docs/connect.md lists as opening opens; each it lists as not opening does not."""
    args, kwargs = spec.connect_args(server_for(spec))
    method, method_args = DRIVER_METHOD[spec.name]
    attribute = DRIVER_ATTRIBUTE[spec.name]

    def first_use(action: Callable[[Any], Any]) -> bool:
        conn = forksafe.connect(spec.connect_fn, *args, **kwargs)
        before = open_descriptors()
        action(conn)
        opened = open_descriptors() != before
        try:
            conn.close()
        except Exception:  # some drivers' __exit__ closed it already, and their close() says so
            pass
        return opened

    opens = {
        "cursor()": lambda c: c.cursor(),
        f"{method}() (a driver method, called)": lambda c: getattr(c, method)(*method_args),
        f".{attribute} (a driver attribute, read)": lambda c: getattr(c, attribute),
        "with conn: (entering)": lambda c: c.__enter__(),
        "forksafe_raw": lambda c: c.forksafe_raw,
        "commit() after cursor()": lambda c: (c.cursor(), c.commit()),
    }
    does_not_open = {
        f"{method} (fetched, not called)": lambda c: getattr(c, method),
        "commit() before any use": lambda c: c.commit(),
        "rollback() before any use": lambda c: c.rollback(),
        "close() before any use": lambda c: c.close(),
    }
    assert {label: first_use(action) for label, action in opens.items()} == dict.fromkeys(opens, True)
    assert {label: first_use(action) for label, action in does_not_open.items()} == \
        dict.fromkeys(does_not_open, False)
