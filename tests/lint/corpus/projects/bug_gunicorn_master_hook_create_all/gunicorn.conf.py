# No --preload: each worker imports main:app after the fork. But this hook runs in gunicorn's master
# first: core.database is in sys.modules when the workers fork, its engine's pool holding the connection
# create_all used, and the workers' `from core.database import get_db` finds that module, not a new one.
workers = 2
worker_class = "uvicorn.workers.UvicornWorker"
preload_app = False


def on_starting(server):
    import core.models  # noqa: F401
    from core.database import Base, engine

    Base.metadata.create_all(bind=engine)
