"""``setconnection`` comes through ``from dbhelpers import *``, which re-exports it from
``connection``: the connection it makes in the parent is handed to the child."""
from multiprocessing import Process

from dbhelpers import *  # noqa: F403


def loader(conn):
    conn.cursor().execute("VACUUM")


if __name__ == "__main__":
    conn = setconnection()  # noqa: F405
    print(table_names(conn.cursor()))  # noqa: F405
    Process(target=loader, args=(conn,)).start()  # expect: FS102 "'conn'" "setconnection() at line 13"
