"""The fix (SQLAlchemy's recipe): the initializer drops the inherited pool without closing the
parent's connections, ``engine.dispose(close=False)``, and the process opens its own."""
from concurrent.futures import ProcessPoolExecutor

from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

Session = None


def init_worker(engine):
    global Session
    engine.dispose(close=False)
    Session = sessionmaker(bind=engine)


def crop(video_id):
    with Session() as session:
        session.execute(text("UPDATE videos SET cropped = true WHERE id = :id"), {"id": video_id})
        session.commit()


if __name__ == "__main__":
    engine = create_engine("postgresql://db/videos")
    with engine.connect() as conn:
        ids = [row.id for row in conn.execute(text("SELECT id FROM videos"))]
    with ProcessPoolExecutor(initializer=init_worker, initargs=(engine,)) as executor:
        list(executor.map(crop, ids))
