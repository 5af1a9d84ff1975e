"""preload_app = True in gunicorn.conf.py: the pool is made in the master and shared by the workers."""
from flask import Flask
from psycopg_pool import ConnectionPool

app = Flask(__name__)
pool = ConnectionPool("dbname=app")


@app.get("/n")
def count():
    with pool.connection() as conn:  # expect: FS101 "gunicorn --preload (Procfile line 1)"
        return str(conn.execute("select count(*) from t").fetchone()[0])
