"""The engine, made on first use; its lazy initialiser registers SQLAlchemy's pid guard."""
import os

from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import DisconnectionError

_engine = None


def get_engine():
    global _engine
    if not _engine:
        _engine = create_engine("mysql+pymysql://app@db/app", pool_size=5)

        @event.listens_for(_engine, "connect")
        def connect(dbapi_connection, connection_record):
            connection_record.info["pid"] = os.getpid()

        @event.listens_for(_engine, "checkout")
        def checkout(dbapi_connection, connection_record, connection_proxy):
            if connection_record.info["pid"] != os.getpid():
                connection_record.connection = connection_proxy.connection = None
                raise DisconnectionError("connection made in another process")
    return _engine


def validate_db():
    with get_engine().connect() as conn:
        conn.execute(text("select 1"))
