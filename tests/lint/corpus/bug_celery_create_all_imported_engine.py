"""A Celery worker module linted alone (a pre-commit hook passes only the changed files): the engine
comes from a module this run was not given, but create_all at import connects it in the master, and
the tasks' sessions from the factory imported beside it reuse that pool in the prefork children."""
from app.database import Base, SessionLocal, engine
from app.models import Job
from celery import Celery

Base.metadata.create_all(bind=engine)

celery_app = Celery("worker", broker="redis://localhost:6379/0")


@celery_app.task
def finish(job_id):
    with SessionLocal() as db:  # expect: FS104 "create_all at line 8 connects it" "imported beside it"
        db.get(Job, job_id).done = True
        db.commit()
