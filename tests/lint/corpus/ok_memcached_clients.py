"""Safe twin: the module-level memcached clients are never sent a command by the parent, so no
socket exists before the fork; the child's first command connects its own."""

from multiprocessing import Process

import memcache
import pylibmc

CACHE = memcache.Client(["127.0.0.1:11211"], socket_timeout=0.5)
SESSIONS = pylibmc.Client(["127.0.0.1"], binary=True)


def worker():
    for i in range(1000):
        CACHE.set(f"interrupt-{i}", i)
        SESSIONS.set(f"s-{i}", i)


if __name__ == "__main__":
    p = Process(target=worker)
    p.start()
    p.join()
