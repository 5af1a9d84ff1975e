from util.client import celery_app, db_task


@celery_app.task
def workflow(task_id):
    db_task.update_one({"taskid": task_id}, {"$set": {"status": "execute"}})
