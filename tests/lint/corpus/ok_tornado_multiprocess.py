"""The fix: fork first (``tornado.process.fork_processes(0)``), then make the engine and the
Application in each process."""
import tornado.httpserver
import tornado.ioloop
import tornado.netutil
import tornado.process
import tornado.web
from sqlalchemy import MetaData, create_engine, text

metadata = MetaData()


class EventsHandler(tornado.web.RequestHandler):
    def get(self):
        with self.application.settings["engine"].connect() as conn:
            self.write({"events": conn.execute(text("SELECT count(*) FROM events")).scalar()})


def main():
    sockets = tornado.netutil.bind_sockets(8990)
    tornado.process.fork_processes(0)
    engine = create_engine("postgresql://db/hermes")
    application = tornado.web.Application([(r"/events", EventsHandler)], engine=engine)
    server = tornado.httpserver.HTTPServer(application)
    server.add_sockets(sockets)
    tornado.ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
