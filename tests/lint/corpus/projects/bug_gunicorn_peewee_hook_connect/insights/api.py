"""The WSGI app gunicorn preloads in its master."""
import falcon

from insights.models import Insight, with_db


class Insights:
    @with_db
    def on_get(self, req, resp):
        resp.media = [i.barcode for i in Insight.select().limit(10)]  # expect: FS101 "handler 'on_get'"


api = falcon.App()
api.add_route("/insights", Insights())
