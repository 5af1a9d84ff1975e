# ruff: noqa: F403, F405  (star imports are the shape under test)
"""``from models import *`` and ``from peewee import *``: the names are resolved all the same."""
from multiprocessing import Pool

from models import *


def fetch(url):
    Feed.create(url=url)  # expect: FS101 "Feed.Meta.database"


def main():
    urls = [f.url for f in Feed.select()]
    with Pool(4) as pool:
        pool.map(fetch, urls)
