"""tornado's multi-process mode: every forked process serves the Application's handlers, which use
the client the parent made (and used) before ``server.start(0)``."""
import tornado.httpserver
import tornado.ioloop
import tornado.web
from pymongo import MongoClient

client = MongoClient("mongodb://db")
client.admin.command("ping")


class Items(tornado.web.RequestHandler):
    def get(self):
        self.write({"n": client.shop.items.count_documents({})})  # expect: FS101 "request handler 'get'"

    def post(self):
        client.shop.items.insert_one({"body": self.request.body})  # expect: FS101 "server.start() at line 25"


app = tornado.web.Application([(r"/items", Items)])

if __name__ == "__main__":
    server = tornado.httpserver.HTTPServer(app)
    server.bind(8888)
    server.start(0)
    tornado.ioloop.IOLoop.current().start()
