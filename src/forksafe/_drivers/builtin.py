"""The adapters forksafe ships. Importing this imports no driver."""

from __future__ import annotations

from . import mysql_connector, mysqldb, psycopg, psycopg2, pymysql, sqlite3
from .base import DriverAdapter

BUILTIN: tuple[DriverAdapter, ...] = (
    psycopg2.ADAPTER, psycopg.ADAPTER, mysqldb.ADAPTER, pymysql.ADAPTER, mysql_connector.ADAPTER,
    sqlite3.ADAPTER,
)
