"""The engine, made when the app is imported (in the gunicorn master, under --preload)."""
from sqlalchemy import create_engine
from sqlalchemy.orm import scoped_session, sessionmaker

engine = create_engine("postgresql://app@db/app")
db_session = scoped_session(sessionmaker(bind=engine))


def init_db():
    with engine.begin() as conn:
        conn.exec_driver_sql("create table if not exists t (x int)")
