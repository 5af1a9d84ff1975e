"""A daemon that connects, then daemonizes: a double fork whose parent exits (here in a helper), or
python-daemon's ``DaemonContext``. The daemon child goes on with the parent's connection, and the
exiting parent's interpreter closes its copy over the same socket."""
import os
import sys

import daemon
import MySQLdb
import psycopg2


class Server:
    def daemonize(self):
        if os.fork():
            sys.exit(0)
        os.setsid()
        pid = os.fork()
        if pid > 0:
            os._exit(0)

    def main(self):
        conn = MySQLdb.connect(host="db")
        conn.cursor().execute("CREATE TABLE IF NOT EXISTS jobs (id int)")
        self.daemonize()
        while True:
            conn.cursor().execute("SELECT id FROM jobs")  # expect: FS105 "before self.daemonize() (it forks"


def serve():
    store = psycopg2.connect("dbname=jobs")
    with daemon.DaemonContext(working_directory="/"):
        store.cursor().execute("SELECT 1")  # expect: FS105 "it daemonizes"


if __name__ == "__main__":
    Server().main()
