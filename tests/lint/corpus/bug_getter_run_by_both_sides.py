"""The parent runs the worker function itself once before starting a Process on it: the lazy getter
inside made and started the shared client in the parent, so the child's call returns that client,
with the parent's ZooKeeper session and socket."""
import multiprocessing

from kazoo.client import KazooClient

client = None


def shared_client():
    global client
    if client is None:
        client = KazooClient(hosts="zk:2181")
        client.start()  # expect: FS101 "kazoo.client.KazooClient() made at line 14" "called in limited()"
    return client


def limited():
    with shared_client().Semaphore("/jobs", max_leases=4):
        return "done"


if __name__ == "__main__":
    limited()
    worker = multiprocessing.Process(target=limited)
    worker.start()
    worker.join()
