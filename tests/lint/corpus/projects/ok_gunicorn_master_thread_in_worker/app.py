"""Safe twin: the preloaded factory only opens the pool; the background threads run in a process
of their own (``python app.py``), never in the master that forks the workers."""
import threading
import time

from db import db
from flask import Flask
from jobs import start_scheduler


def _mark_offline():
    while True:
        db.execute("update machines set online = false")
        time.sleep(60)


def create_app():
    app = Flask(__name__)
    db.initialize()
    db.execute("select 1")

    @app.route("/machines")
    def machines():
        db.execute("select * from machines")
        return "ok"

    return app


app = create_app()

if __name__ == "__main__":  # the scheduler process: no server forks it
    threading.Thread(target=_mark_offline, daemon=True).start()
    start_scheduler().print_jobs()
    while True:
        time.sleep(3600)
