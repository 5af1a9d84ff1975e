"""The Celery worker imports this module, which creates the tables (a pooled connection) before it
forks the pool; each child's first checkout hands it the parent's connection."""
from celery import Celery
from sqlalchemy import MetaData, create_engine, text

app = Celery("events")
engine = create_engine("postgresql://db/events")
metadata = MetaData()
metadata.create_all(engine)


@app.task
def publish(event_id):
    with engine.begin() as conn:  # expect: FS104 "SQLAlchemy engine 'engine'" "Celery task 'publish'"
        conn.execute(text("UPDATE events SET state = 'published' WHERE id = :id"), {"id": event_id})
