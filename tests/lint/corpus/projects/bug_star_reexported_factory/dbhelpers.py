from connection import setconnection  # noqa: F401  (re-exported to ``from dbhelpers import *``)


def table_names(cur):
    cur.execute("SELECT tablename FROM pg_tables")
    return [row[0] for row in cur.fetchall()]
