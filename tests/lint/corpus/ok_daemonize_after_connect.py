"""The fix: daemonize first, then connect in the daemon."""
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
        self.daemonize()
        conn = MySQLdb.connect(host="db")
        while True:
            conn.cursor().execute("SELECT id FROM jobs")


def serve():
    with daemon.DaemonContext(working_directory="/"):
        store = psycopg2.connect("dbname=jobs")
        store.cursor().execute("SELECT 1")


if __name__ == "__main__":
    Server().main()
