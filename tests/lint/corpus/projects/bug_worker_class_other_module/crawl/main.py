"""The workers build another module's class, whose methods write through the connection a third
module opened at import, in the parent."""
import multiprocessing

from crawl.db import SitesConnector
from crawl.ranker import PageRanker

connector = SitesConnector()
ids = connector.site_ids()


def rank_site(site_id):
    ranker = PageRanker()
    ranker.rank(site_id)  # expect: FS101 "pymysql.connect() made at" "used in db.save_rank()"


if __name__ == "__main__":
    with multiprocessing.Pool(8) as pool:
        pool.map(rank_site, ids)
