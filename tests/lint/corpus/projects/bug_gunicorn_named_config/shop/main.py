"""preload_app in the config named by -c: the master imports this module and makes the engine, whose
pool every forked worker then shares."""
from flask import Flask
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine("postgresql://shop@db/shop")


@app.get("/orders")
def orders():
    with engine.connect() as conn:  # expect: FS101 "gunicorn --preload (Dockerfile line 4)"
        return str(conn.execute(text("select count(*) from orders")).scalar())
