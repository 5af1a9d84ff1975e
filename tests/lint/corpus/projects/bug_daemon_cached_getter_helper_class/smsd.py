"""A daemon whose queue connects (through the cache) in the parent, then double-forks: the daemon
child asks the cache again and gets the parent's connection back."""
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
    queue = nav.smsd.queue.Queue()
    daemonize()
    while True:
        users = queue.getusers()  # expect: FS105 "nav.smsd.queue.Queue() at line 18" "from the cache"
        print(users)


if __name__ == "__main__":
    main()
