preload_app = True
workers = 4


def post_fork(server, worker):
    from web import engine

    engine.dispose(close=False)
