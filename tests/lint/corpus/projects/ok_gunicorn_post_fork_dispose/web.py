"""Safe twin: preloaded, but gunicorn's post_fork hook drops the engine's inherited pool."""
from flask import Flask
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine("postgresql://app@db/app")


@app.route("/")
def index():
    with engine.connect() as c:
        return str(c.execute(text("select 1")).scalar())
