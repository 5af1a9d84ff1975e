"""The drivers under test, each with how to reach its server and the SQL dialect bits tests need.

Tests parametrize over ``DRIVERS`` and call ``spec.connect_args(server)`` so every driver gets the
same scenario against its real server.
"""

from __future__ import annotations

import importlib
import uuid
from dataclasses import dataclass
from typing import Any, Callable

from .servers import Server


@dataclass(frozen=True)
class DriverSpec:
    name: str  # adapter name
    module: str
    server: str  # fixture name: "postgresql" or "mariadb" (sqlite: "sqlite")
    placeholder: str  # "%s" or "?"

    @property
    def connect_fn(self) -> Callable[..., Any]:
        module = importlib.import_module(self.module)
        return module.connect  # type: ignore[no-any-return]

    def connect_args(self, server: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
        if self.server == "sqlite":
            return (str(server),), {"timeout": 120}  # 16 writers on one file queue for its lock
        assert isinstance(server, Server)
        if self.server == "postgresql":
            return (server.pg_dsn,), {}
        kw = dict(server.mysql_kwargs)
        if self.module == "MySQLdb":
            kw["passwd"] = kw.pop("password")
            kw["db"] = kw.pop("database")
        if self.module == "pymysql":
            kw["ssl_disabled"] = True  # docs/evidence.md: PyMySQL's TLS probe costs 48 ms per connect
        if self.module == "mysql.connector":
            kw["use_pure"] = True
        return (), kw

    def sql(self, text: str) -> str:
        return text.replace("%s", self.placeholder)

    def create_table(self, table: str) -> str:
        if self.server == "sqlite":
            return f"CREATE TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY, who TEXT, n INTEGER)"
        if self.server == "postgresql":
            return f"CREATE TABLE IF NOT EXISTS {table} (id SERIAL PRIMARY KEY, who TEXT, n INTEGER)"
        return f"CREATE TABLE IF NOT EXISTS {table} (id INT AUTO_INCREMENT PRIMARY KEY, who TEXT, n INT)"

    def backend_id_sql(self) -> str:
        return {"postgresql": "SELECT pg_backend_pid()", "mariadb": "SELECT CONNECTION_ID()",
                "sqlite": "SELECT 0"}[self.server]


DRIVERS = [
    DriverSpec("MySQLdb", "MySQLdb", "mariadb", "%s"),
    DriverSpec("pymysql", "pymysql", "mariadb", "%s"),
    DriverSpec("mysql.connector", "mysql.connector", "mariadb", "%s"),
    DriverSpec("psycopg2", "psycopg2", "postgresql", "%s"),
    DriverSpec("psycopg", "psycopg", "postgresql", "%s"),
    DriverSpec("sqlite3", "sqlite3", "sqlite", "?"),
]
SERVER_DRIVERS = [d for d in DRIVERS if d.server != "sqlite"]
BY_NAME = {d.name: d for d in DRIVERS}


def create_table(spec: DriverSpec, connect: Callable[[], Any], table: str) -> None:
    """Create the standard test table on a connection of its own, closed afterwards."""
    conn = connect()
    try:
        cur = conn.cursor()
        cur.execute(spec.create_table(table))
        conn.commit()
    finally:
        conn.close()


def unique_table(prefix: str = "t") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"
