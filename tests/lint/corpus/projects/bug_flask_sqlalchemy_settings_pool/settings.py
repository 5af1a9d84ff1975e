class Config:
    SQLALCHEMY_DATABASE_URI = "postgresql://app@db/app"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_size": 10, "pool_recycle": 3600}
