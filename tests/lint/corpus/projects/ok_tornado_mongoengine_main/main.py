import tornado.ioloop
import tornado.web
from runlog import handlers

app = tornado.web.Application([(r"/runs", handlers.Runs)])

if __name__ == "__main__":
    import mongoengine
    mongoengine.connect("runlog", host="mongodb://db")  # one process: nothing forks
    app.listen(8000)
    tornado.ioloop.IOLoop.current().start()
