preload_app = True
workers = 4


def post_fork(server, worker):
    from db import db, engine

    engine.dispose()
    db.close()
