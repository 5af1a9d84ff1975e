# ruff: noqa: F403, F405  (star imports are the shape under test)
"""Safe twin: each worker connects for itself first (models.connect() runs db.connect())."""
from multiprocessing import Pool

from models import *


def fetch(url):
    connect()
    Feed.create(url=url)


def main():
    urls = [f.url for f in Feed.select()]
    db.close()
    with Pool(4) as pool:
        pool.map(fetch, urls)
