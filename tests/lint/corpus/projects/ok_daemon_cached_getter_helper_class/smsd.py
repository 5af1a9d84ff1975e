"""Safe twin: the daemon double-forks first and makes its queue (and so its connection) in the
daemon child."""
import os
import sys

import nav.smsd.queue


def daemonize():
    if os.fork() > 0:
        sys.exit(0)
    os.setsid()
    if os.fork() > 0:
        sys.exit(0)


def main():
    daemonize()
    queue = nav.smsd.queue.Queue()
    while True:
        users = queue.getusers()
        print(users)


if __name__ == "__main__":
    main()
