import tornado.ioloop
import tornado.process
import tornado.web
from web import handlers

app = tornado.web.Application([tornado.web.url(r"/orders", handlers.Orders)])
tornado.process.fork_processes(4)
handlers.connect()
app.listen(8888)
tornado.ioloop.IOLoop.current().start()
