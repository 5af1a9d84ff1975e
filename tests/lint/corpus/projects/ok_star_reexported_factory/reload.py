"""The fix: the child makes its own connection with the same helper."""
from multiprocessing import Process

from dbhelpers import *  # noqa: F403


def loader():
    conn = setconnection()  # noqa: F405
    conn.cursor().execute("VACUUM")


if __name__ == "__main__":
    conn = setconnection()  # noqa: F405
    print(table_names(conn.cursor()))  # noqa: F405
    Process(target=loader).start()
