"""A Flask app gunicorn preloads: its factory opens the pool and starts two threads in the master,
which keep using the master's connections while the workers fork (and close their copies)."""
import threading
import time

from db import db
from flask import Flask
from jobs import start_scheduler


def _mark_offline():
    while True:
        db.execute("update machines set online = false")  # expect: FS106 "Thread() at line 21" "initialize()"
        time.sleep(60)


def create_app():
    app = Flask(__name__)
    db.initialize()
    db.execute("select 1")
    threading.Thread(target=_mark_offline, daemon=True).start()
    start_scheduler()

    @app.route("/machines")
    def machines():
        db.execute("select * from machines")
        return "ok"

    return app


app = create_app()
