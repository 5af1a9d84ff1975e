"""Safe twin: create_all connects the imported engine in the master, and each prefork child drops the
inherited pool before its first task."""
from app.database import Base, SessionLocal, engine
from app.models import Job
from celery import Celery
from celery.signals import worker_process_init

Base.metadata.create_all(bind=engine)

celery_app = Celery("worker", broker="redis://localhost:6379/0")


@worker_process_init.connect
def reset_pool(**kwargs):
    engine.dispose(close=False)


@celery_app.task
def finish(job_id):
    with SessionLocal() as db:
        db.get(Job, job_id).done = True
        db.commit()
