"""The parent asks for the latest block through a session of the engine (its pool keeps the
connection), then each executor process opens a session of the same engine."""
from concurrent.futures import ProcessPoolExecutor

from chaindb.db import yield_db_session_ctx


def latest_block():
    with yield_db_session_ctx() as session:
        return session.execute("SELECT max(number) FROM blocks").scalar()


def crawl(numbers):
    with yield_db_session_ctx() as session:  # expect: FS101 "returned by db.yield_db_session_ctx()"
        for number in numbers:
            session.execute("INSERT INTO blocks VALUES (:n)", {"n": number})
        session.commit()


def crawl_all():
    start = latest_block()
    with ProcessPoolExecutor(max_workers=4) as executor:
        for i in range(4):
            executor.submit(crawl, range(start + i, start + 100, 4))
