from sqlalchemy.pool import NullPool


class Config:
    SQLALCHEMY_DATABASE_URI = "postgresql://app@db/app"
    # NullPool: no connection outlives its use, so none is open when gunicorn forks the workers
    SQLALCHEMY_ENGINE_OPTIONS = {
        "poolclass": NullPool,
    }
