"""Safe: the parent makes no gRPC client before forking; each child makes its own."""
import multiprocessing

from google.cloud import datastore


def check(kind):
    client = datastore.Client(project="shop")
    return client.get(client.key(kind, "latest"))


if __name__ == "__main__":
    worker = multiprocessing.Process(target=check, args=("orders",))
    worker.start()
    worker.join()
    client = datastore.Client(project="shop")
    client.get(client.key("orders", "latest"))
