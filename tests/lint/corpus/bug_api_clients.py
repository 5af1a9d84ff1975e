"""API clients that keep a keep-alive pool (httpx, requests, urllib3) and other sockets: made and
used in the parent, then used by forked children."""
import multiprocessing

import mwclient
from google.cloud import firestore
from minio import Minio
from openai import OpenAI
from pymemcache.client.base import Client as Memcache

llm = OpenAI()
wiki = mwclient.Site("en.wikipedia.org")
store = Minio("s3:9000")
cache = Memcache(("cache", 11211))
llm.models.list()
store.list_buckets()
cache.get("warm")
docs = firestore.Client()
docs.collection("jobs").get()


def summarise(text):
    return llm.chat.completions.create(model="m", messages=[text])  # expect: FS101 "HTTP client"


def page(title):
    return wiki.pages[title].text()  # expect: FS101 "mwclient.Site() made at line 12"


def fetch(name):
    body = store.get_object("b", name).read()  # expect: FS101 "HTTP pool"
    cache.set(name, body)  # expect: FS101 "memcached client"


def save(job):
    docs.collection("jobs").add(job)  # expect: FS101 "gRPC channel"


if __name__ == "__main__":
    with multiprocessing.Pool(4) as pool:
        pool.map(summarise, ["a"])
        pool.map(page, ["Fork"])
        pool.map(fetch, ["x"])
        pool.map(save, [{}])
