"""The engine the parent has queried through is handed to each executor process's initializer; the
processes then check out the parent's pooled connection."""
from concurrent.futures import ProcessPoolExecutor

from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

Session = None


def init_worker(engine):
    global Session
    Session = sessionmaker(bind=engine)


def crop(video_id):
    with Session() as session:
        session.execute(text("UPDATE videos SET cropped = true WHERE id = :id"), {"id": video_id})
        session.commit()


if __name__ == "__main__":
    engine = create_engine("postgresql://db/videos")
    with engine.connect() as conn:
        ids = [row.id for row in conn.execute(text("SELECT id FROM videos"))]
    executor = ProcessPoolExecutor(initializer=init_worker, initargs=(engine,))  # expect: FS102 "'engine'"
    with executor:
        list(executor.map(crop, ids))
