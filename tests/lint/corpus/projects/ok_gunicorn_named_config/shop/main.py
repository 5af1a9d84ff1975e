"""Safe twin: preloaded, but the named config's post_fork hook drops the inherited pool in each
worker."""
from flask import Flask
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine("postgresql://shop@db/shop")


@app.get("/orders")
def orders():
    with engine.connect() as conn:
        return str(conn.execute(text("select count(*) from orders")).scalar())
