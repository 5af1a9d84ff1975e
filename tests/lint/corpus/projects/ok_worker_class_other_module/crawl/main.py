"""The fix: the connector opens a connection of its own in the process that calls it; nothing opened
in the parent reaches the workers."""
import multiprocessing

from crawl.db import SitesConnector
from crawl.ranker import PageRanker

connector = SitesConnector()
ids = connector.site_ids()


def rank_site(site_id):
    ranker = PageRanker()
    ranker.rank(site_id)


if __name__ == "__main__":
    with multiprocessing.Pool(8) as pool:
        pool.map(rank_site, ids)
