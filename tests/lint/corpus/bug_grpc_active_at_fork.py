"""The parent reads through a Datastore client (gRPC) and then starts a child that makes a client of
its own: gRPC's core cannot follow the fork once a channel is active, and the child's call hangs."""
import multiprocessing

from google.cloud import datastore


def check(kind):
    client = datastore.Client(project="shop")  # expect: FS107 "the parent used its own" "line 14"
    return client.get(client.key(kind, "latest"))


if __name__ == "__main__":
    client = datastore.Client(project="shop")
    client.get(client.key("orders", "latest"))
    worker = multiprocessing.Process(target=check, args=("orders",))
    worker.start()
    worker.join()
