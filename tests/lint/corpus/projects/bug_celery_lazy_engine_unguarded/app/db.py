"""The engine, made on first use."""

from sqlalchemy import create_engine, text

_engine = None


def get_engine():
    global _engine
    if not _engine:
        _engine = create_engine("mysql+pymysql://app@db/app", pool_size=5)
    return _engine


def validate_db():
    with get_engine().connect() as conn:
        conn.execute(text("select 1"))
