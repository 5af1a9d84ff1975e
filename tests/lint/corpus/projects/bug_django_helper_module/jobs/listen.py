"""The parent queries, then a forked listener uses the helper (and so the same connection)."""
import multiprocessing

from .notify import pending


def listen():
    return pending()  # expect: FS101 "used in notify.pending()"


def start():
    print(pending())
    process = multiprocessing.Process(target=listen)
    process.start()
    return process
