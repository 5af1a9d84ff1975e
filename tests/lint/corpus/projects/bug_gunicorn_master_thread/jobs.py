"""Background jobs the app schedules."""
from apscheduler.schedulers.background import BackgroundScheduler
from db import engine
from sqlalchemy import text


def purge_sessions():
    with engine.begin() as conn:  # expect: FS106 "scheduler.add_job() at line 14" "whose hooks reset"
        conn.execute(text("delete from sessions where expires < now()"))


def start_scheduler():
    scheduler = BackgroundScheduler()
    scheduler.add_job(func=lambda: purge_sessions(), trigger="interval", minutes=5)
    scheduler.start()
    return scheduler
