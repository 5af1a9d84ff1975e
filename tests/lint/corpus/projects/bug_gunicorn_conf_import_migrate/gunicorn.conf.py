# gunicorn imports its config in the master: this import makes the engine there, and on_starting
# migrates and seeds through it before the workers fork. The workers import app.main themselves, but
# app.database is already loaded: its engine, and the connection its pool keeps, are the master's.
from app.database import create_db_and_tables

loglevel = "info"


def on_starting(server):
    create_db_and_tables()
