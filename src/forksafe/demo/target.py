"""Which driver the demo uses and how it reaches the server, resolved from the command line.

Only this module knows how each driver takes its connection parameters; everything else gets a
:class:`Target` whose :meth:`Target.connect` opens a fresh driver connection. Passwords come in
through ``--dsn`` and leave only through :attr:`Target.display`, which masks them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Optional
from urllib.parse import parse_qsl, unquote, urlsplit

from .._redact import redact_text

# --driver spelling -> (module to import, family)
DRIVERS: dict[str, tuple[str, str]] = {
    "psycopg2": ("psycopg2", "postgresql"),
    "psycopg": ("psycopg", "postgresql"),
    "mysqldb": ("MySQLdb", "mysql"),
    "pymysql": ("pymysql", "mysql"),
}
ALIASES = {"psycopg3": "psycopg", "mysqlclient": "mysqldb"}
_SCHEMES = {"postgres": "postgresql", "postgresql": "postgresql", "mysql": "mysql", "mariadb": "mysql"}
DEFAULT_DRIVER = {"postgresql": "psycopg2", "mysql": "mysqldb"}


class UsageError(ValueError):
    """Bad command-line input; the message says what to do instead."""


@dataclass
class Target:
    driver: str  # the module name, as users know it (psycopg2, MySQLdb, ...)
    family: str  # postgresql or mysql
    connect_fn: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    display: str = ""  # where we connect, password masked

    def connect(self) -> Any:
        return self.connect_fn(*self.args, **self.kwargs)


def normalize_driver(name: str) -> str:
    key = ALIASES.get(name.lower(), name.lower())
    if key not in DRIVERS:
        choices = ", ".join(m for m, _ in DRIVERS.values())
        raise UsageError(f"unknown driver {name!r}; choose one of {choices}")
    return key


def family_of_dsn(dsn: str) -> str:
    """``postgresql`` or ``mysql``; a DSN without a scheme is a libpq ``key=value`` string."""
    if "://" not in dsn:
        return "postgresql"
    scheme = dsn.split("://", 1)[0].lower().split("+", 1)[0]
    if scheme not in _SCHEMES:
        raise UsageError(
            f"--dsn scheme {scheme!r} is not supported; use postgresql://user:password@host:port/db "
            "or mysql://user:password@host:port/db"
        )
    return _SCHEMES[scheme]


def resolve(driver: Optional[str], dsn: Optional[str], embedded_uri: Optional[str] = None) -> Target:
    """Build the target for ``--driver``/``--dsn``; ``embedded_uri`` is used when there is no DSN."""
    family = family_of_dsn(dsn) if dsn else "postgresql"
    key = normalize_driver(driver) if driver else DEFAULT_DRIVER[family]
    module_name, driver_family = DRIVERS[key]
    if driver_family != family:
        if dsn is None:
            raise UsageError(
                f"{module_name} talks to MySQL/MariaDB, and the embedded server is PostgreSQL: pass "
                "--dsn mysql://user:password@host:port/database for a server you have"
            )
        raise UsageError(f"{module_name} cannot connect to a {family} --dsn; pick a {family} driver")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        package = {"psycopg2": "psycopg2-binary", "psycopg": "'psycopg[binary]'",
                   "MySQLdb": "mysqlclient", "pymysql": "PyMySQL"}[module_name]
        raise UsageError(f"driver {module_name} is not installed ({exc}); pip install {package}")
    connect_fn: Callable[..., Any] = module.connect
    source = dsn if dsn is not None else embedded_uri
    if source is None:
        raise UsageError("no server: pass --dsn or let the demo start its embedded PostgreSQL")
    if family == "postgresql":
        # libpq parses both URLs and key=value strings itself.
        where = redact_text(source) if dsn is not None else "embedded PostgreSQL (temporary)"
        return Target(module_name, family, connect_fn, (source,), {}, where)
    return Target(module_name, family, connect_fn, (), _mysql_kwargs(source), redact_text(source))


def _mysql_kwargs(url: str) -> dict[str, Any]:
    """``mysql://user:password@host:port/db?unix_socket=...`` as keyword arguments."""
    parts = urlsplit(url)
    kwargs: dict[str, Any] = {"host": parts.hostname or "localhost"}
    try:
        port = parts.port
    except ValueError:
        raise UsageError("--dsn has a port that is not a number")
    if port:
        kwargs["port"] = port
    if parts.username:
        kwargs["user"] = unquote(parts.username)
    if parts.password:
        kwargs["password"] = unquote(parts.password)
    database = parts.path.lstrip("/")
    if not database:
        raise UsageError("--dsn needs a database name: mysql://user:password@host:port/DATABASE")
    kwargs["database"] = unquote(database)
    for key, value in parse_qsl(parts.query):
        kwargs[key] = int(value) if value.isdigit() else value
    return kwargs
