"""A lazily made session factory, handed to functions by a decorator."""
from functools import wraps

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

_factory = None


def get_session():
    global _factory
    if _factory is None:
        _factory = sessionmaker(bind=create_engine("postgresql://app@db/app"))
    return _factory()


def with_session(f):
    @wraps(f)
    def decorated(*args, **kwargs):
        return f(get_session(), *args, **kwargs)

    return decorated
