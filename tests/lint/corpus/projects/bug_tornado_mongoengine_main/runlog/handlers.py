import tornado.web

from runlog.models import Run


class Runs(tornado.web.RequestHandler):
    def get(self):
        self.write({"n": Run.objects.count()})  # expect: FS101 "mongoengine.connect() at import"
