"""Safe: the lazy getter is only ever called in the child, so the child makes and starts its own
client; the parent never had one."""
import multiprocessing

from kazoo.client import KazooClient

client = None


def shared_client():
    global client
    if client is None:
        client = KazooClient(hosts="zk:2181")
        client.start()
    return client


def limited():
    with shared_client().Semaphore("/jobs", max_leases=4):
        return "done"


if __name__ == "__main__":
    worker = multiprocessing.Process(target=limited)
    worker.start()
    worker.join()
