"""More clients that hold sockets from the moment they are made (a Couchbase cluster, a Google API
client whose build() fetched its discovery document, a Weaviate client, a RethinkDB connection) or
once the parent has used them (a Kubernetes API client), each used by the pool's forked workers."""
import multiprocessing

import rethinkdb
import weaviate
from couchbase.cluster import Cluster
from googleapiclient.discovery import build
from kubernetes import client

cluster = Cluster("couchbase://db")
sheets = build("sheets", "v4")
vectors = weaviate.connect_to_local()
feed = rethinkdb.connect("rethink", 28015)
core = client.CoreV1Api()
core.list_namespace()


def work(key):
    cluster.bucket("app").default_collection().get(key)  # expect: FS101 "Couchbase cluster"
    sheets.spreadsheets().get(spreadsheetId=key).execute()  # expect: FS101 "httplib2"
    vectors.collections.get("Doc").query.fetch_objects()  # expect: FS101 "Weaviate client"
    rethinkdb.table("events").insert({"k": key}).run(feed)  # expect: FS101 "RethinkDB connection"
    return core.read_namespace(key)  # expect: FS101 "Kubernetes API client"


if __name__ == "__main__":
    with multiprocessing.Pool(4) as pool:
        pool.map(work, ["a", "b"])
