"""The fix: each worker makes its clients in the pool initializer."""
import multiprocessing

import mwclient
from minio import Minio
from openai import OpenAI
from pymemcache.client.base import Client as Memcache

llm = wiki = store = cache = None


def init():
    global llm, wiki, store, cache
    llm = OpenAI()
    wiki = mwclient.Site("en.wikipedia.org")
    store = Minio("s3:9000")
    cache = Memcache(("cache", 11211))


def summarise(text):
    return llm.chat.completions.create(model="m", messages=[text])


def page(title):
    return wiki.pages[title].text()


def fetch(name):
    body = store.get_object("b", name).read()
    cache.set(name, body)


if __name__ == "__main__":
    with multiprocessing.Pool(4, initializer=init) as pool:
        pool.map(summarise, ["a"])
        pool.map(page, ["Fork"])
        pool.map(fetch, ["x"])
