"""The fix: each pool child makes its own engine; of what the factory returns only the engine and the
sessionmaker are clients (the URL beside them is not)."""
from celery import Celery
from celery.signals import worker_process_init

from stocks.storage import StockStorage, create_engine_and_session_cls

app = Celery("stocks")
URL, label = "mysql+pymysql://db/stocks", "stocks"
engine = Session = None


@worker_process_init.connect
def connect(**_):
    global engine, Session
    engine, Session = create_engine_and_session_cls(URL)


@app.task
def save_stock(symbol):
    StockStorage(engine, Session).save(symbol)


@app.task
def describe():
    return label
