from crawl.db import SitesConnector


class PageRanker:
    sites = SitesConnector()

    def rank(self, site_id):
        self.sites.save_rank(site_id, 1)
