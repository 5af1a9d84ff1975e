"""The fix from SQLAlchemy's documentation: a "checkout" listener that compares the pid which made
the connection with the current one, and makes the child discard an inherited connection."""
import os

from celery import Celery
from sqlalchemy import MetaData, create_engine, event, exc, text

app = Celery("events")
engine = create_engine("postgresql://db/events")
metadata = MetaData()


def add_engine_pidguard(engine):
    @event.listens_for(engine, "connect")
    def connect(dbapi_connection, connection_record):
        connection_record.info["pid"] = os.getpid()

    @event.listens_for(engine, "checkout")
    def checkout(dbapi_connection, connection_record, connection_proxy):
        pid = os.getpid()
        if connection_record.info["pid"] != pid:
            connection_record.dbapi_connection = connection_proxy.dbapi_connection = None
            raise exc.DisconnectionError(f"connection belongs to pid {connection_record.info['pid']}")


add_engine_pidguard(engine)
metadata.create_all(engine)


@app.task
def publish(event_id):
    with engine.begin() as conn:
        conn.execute(text("UPDATE events SET state = 'published' WHERE id = :id"), {"id": event_id})
