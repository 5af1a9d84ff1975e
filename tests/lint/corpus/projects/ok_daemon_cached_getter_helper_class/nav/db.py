"""Connections cached by name: the first call connects, later calls in the same process get the
same object back."""
import psycopg2

_connections = {}


def getConnection(script, database="manage"):
    if database not in _connections:
        _connections[database] = psycopg2.connect("dbname=" + database)
    return _connections[database]
