# The fix: the master closes what create_all opened before any worker forks, so each worker's first
# session opens a connection of its own.
workers = 2
worker_class = "uvicorn.workers.UvicornWorker"
preload_app = False


def on_starting(server):
    import core.models  # noqa: F401
    from core.database import Base, engine

    Base.metadata.create_all(bind=engine)
    engine.dispose()
