from pulp.server.db import connection

connection.initialize()
