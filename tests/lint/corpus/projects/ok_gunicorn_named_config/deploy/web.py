# Safe twin: the named config also resets each worker's inherited pool.
bind = "0.0.0.0:8000"
workers = 4
preload_app = True


def post_fork(server, worker):
    from shop.main import engine

    engine.dispose(close=False)
