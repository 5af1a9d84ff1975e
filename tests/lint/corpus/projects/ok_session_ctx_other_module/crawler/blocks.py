"""The fix: each executor process first drops the pool it inherited (``dispose(close=False)``), so
its sessions open connections of their own."""
from concurrent.futures import ProcessPoolExecutor

from chaindb import db
from chaindb.db import yield_db_session_ctx


def latest_block():
    with yield_db_session_ctx() as session:
        return session.execute("SELECT max(number) FROM blocks").scalar()


def crawl(numbers):
    db.engine.dispose(close=False)
    with yield_db_session_ctx() as session:
        for number in numbers:
            session.execute("INSERT INTO blocks VALUES (:n)", {"n": number})
        session.commit()


def crawl_all():
    start = latest_block()
    with ProcessPoolExecutor(max_workers=4) as executor:
        for i in range(4):
            executor.submit(crawl, range(start + i, start + 100, 4))
