"""Safe twin: each pool worker makes its own clients in the initializer; the parent only makes a
Kubernetes API client, which opens nothing until its first request, and never sends one."""
import multiprocessing

import rethinkdb
import weaviate
from couchbase.cluster import Cluster
from googleapiclient.discovery import build
from kubernetes import client

core = client.CoreV1Api()
clients = {}


def init():
    clients["cluster"] = Cluster("couchbase://db")
    clients["sheets"] = build("sheets", "v4")
    clients["vectors"] = weaviate.connect_to_local()
    clients["feed"] = rethinkdb.connect("rethink", 28015)


def work(key):
    clients["cluster"].bucket("app").default_collection().get(key)
    clients["sheets"].spreadsheets().get(spreadsheetId=key).execute()
    rethinkdb.table("events").insert({"k": key}).run(clients["feed"])
    return core.read_namespace(key)


if __name__ == "__main__":
    with multiprocessing.Pool(4, initializer=init) as pool:
        pool.map(work, ["a", "b"])
