import mongoengine
import tornado.ioloop
import tornado.process
import tornado.web
from runlog import handlers

app = tornado.web.Application([(r"/runs", handlers.Runs)])

if __name__ == "__main__":
    mongoengine.connect("runlog", host="mongodb://db")
    tornado.process.fork_processes(0)
    app.listen(8000)
    tornado.ioloop.IOLoop.current().start()
