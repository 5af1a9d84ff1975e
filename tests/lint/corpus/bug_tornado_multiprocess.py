"""Tornado's multi-process mode: ``server.start(0)`` forks one process per core after the engine has
created the tables (a pooled connection) and was handed to the Application; every handler then
uses the parent's pool."""
import tornado.httpserver
import tornado.ioloop
import tornado.web
from sqlalchemy import MetaData, create_engine, text

metadata = MetaData()


class EventsHandler(tornado.web.RequestHandler):
    def get(self):
        with self.application.settings["engine"].connect() as conn:
            self.write({"events": conn.execute(text("SELECT count(*) FROM events")).scalar()})


def main():
    engine = create_engine("postgresql://db/hermes")
    metadata.create_all(engine)
    routes = [(r"/events", EventsHandler)]
    application = tornado.web.Application(routes, engine=engine)  # expect: FS102 "tornado server.start()"
    server = tornado.httpserver.HTTPServer(application)
    server.bind(8990)
    server.start(0)
    tornado.ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
