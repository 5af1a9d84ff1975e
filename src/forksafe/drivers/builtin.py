"""The adapters forksafe ships. Importing this imports no driver."""

from __future__ import annotations

from typing import Any, Callable

from . import mysql_connector, mysqldb, psycopg, psycopg2, pymysql, sqlite3


def register_all(register: Callable[..., Any]) -> None:
    register("psycopg2", modules=("psycopg2",), connect_functions=("psycopg2.connect",),
             fds=psycopg2.fds, in_transaction=psycopg2.in_transaction, is_closed=psycopg2.is_closed,
             ping=psycopg2.ping, build=psycopg2.build)
    register("psycopg", modules=("psycopg",), connect_functions=("psycopg.connect",),
             fds=psycopg.fds, in_transaction=psycopg.in_transaction, is_closed=psycopg.is_closed,
             ping=psycopg.ping)
    register("MySQLdb", modules=("MySQLdb",), connect_functions=("MySQLdb.connect", "MySQLdb.Connect"),
             fds=mysqldb.fds, in_transaction=mysqldb.in_transaction, is_closed=mysqldb.is_closed,
             ping=mysqldb.ping)
    register("pymysql", modules=("pymysql",), connect_functions=("pymysql.connect", "pymysql.Connect"),
             fds=pymysql.fds, in_transaction=pymysql.in_transaction, is_closed=pymysql.is_closed,
             ping=pymysql.ping)
    register("mysql.connector", modules=("mysql",), connect_functions=("mysql.connector.connect",),
             fds=mysql_connector.fds, in_transaction=mysql_connector.in_transaction,
             ping=mysql_connector.ping)
    register("sqlite3", modules=("sqlite3", "_sqlite3"), connect_functions=("sqlite3.connect",),
             in_transaction=sqlite3.in_transaction, ping=sqlite3.ping)
