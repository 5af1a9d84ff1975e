"""memcached clients connect on their first command: the parent sets keys through module-level
clients (python-memcached, pylibmc), then a forked child writes through the same sockets."""

from multiprocessing import Process

import memcache
import pylibmc

CACHE = memcache.Client(["127.0.0.1:11211"], socket_timeout=0.5)
SESSIONS = pylibmc.Client(["127.0.0.1"], binary=True)


def worker():
    for i in range(1000):
        CACHE.set(f"interrupt-{i}", i)  # expect: FS101 "memcache.Client() made at line 9"
        SESSIONS.set(f"s-{i}", i)  # expect: FS101 "pylibmc.Client() made at line 10"


if __name__ == "__main__":
    for i in range(10):
        CACHE.set(f"key-{i}", i)
    SESSIONS.get("warm")
    p = Process(target=worker)
    p.start()
    p.join()
