import os

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, exc

db = SQLAlchemy()


def add_engine_pidguard(engine):
    """SQLAlchemy's recipe: an inherited connection is discarded at its first checkout in a child."""
    @event.listens_for(engine, "connect")
    def connect(dbapi_connection, connection_record):
        connection_record.info["pid"] = os.getpid()

    @event.listens_for(engine, "checkout")
    def checkout(dbapi_connection, connection_record, connection_proxy):
        if connection_record.info["pid"] != os.getpid():
            connection_record.dbapi_connection = connection_proxy.dbapi_connection = None
            raise exc.DisconnectionError("connection made in another process")


class Event(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    state = db.Column(db.String(20))
