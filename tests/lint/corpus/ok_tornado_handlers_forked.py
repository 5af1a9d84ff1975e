"""The fix: fork first, then each process makes its own client (tornado's documented order)."""
import tornado.httpserver
import tornado.ioloop
import tornado.web
from pymongo import MongoClient

client = None


class Items(tornado.web.RequestHandler):
    def get(self):
        self.write({"n": client.shop.items.count_documents({})})


app = tornado.web.Application([(r"/items", Items)])

if __name__ == "__main__":
    server = tornado.httpserver.HTTPServer(app)
    server.bind(8888)
    server.start(0)
    client = MongoClient("mongodb://db")
    tornado.ioloop.IOLoop.current().start()
