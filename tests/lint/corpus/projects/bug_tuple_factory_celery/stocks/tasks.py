"""``celery -A stocks.tasks worker``: the worker imports this module, which makes the engine and
creates the tables (a pooled connection) before it forks the pool; the tasks use both."""
from celery import Celery

from stocks.storage import StockStorage, create_engine_and_session_cls, metadata

app = Celery("stocks")
engine, Session = create_engine_and_session_cls("mysql+pymysql://db/stocks")
metadata.create_all(engine)


@app.task
def save_stock(symbol):
    StockStorage(engine, Session).save(symbol)  # expect: FS104 "create_engine_and_session_cls()"
