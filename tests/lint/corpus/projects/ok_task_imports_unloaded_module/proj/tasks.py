"""Safe: no module imports ``proj.session`` at its top level, so the worker's parent never loads it;
the task's own import makes the engine in the pool child."""
from celery import Celery

app = Celery("proj")


@app.task
def process(task_id):
    from proj.session import SessionLocal

    with SessionLocal() as session:
        session.execute("UPDATE tasks SET done = 1 WHERE id = :id", {"id": task_id})
        session.commit()
