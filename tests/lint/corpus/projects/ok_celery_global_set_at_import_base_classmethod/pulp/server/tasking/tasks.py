from pulp.server.db.model.dispatch import TaskStatus
from pulp.server.tasking.app import celery


@celery.task
def sync(repo_id):
    return TaskStatus.get_collection().find_one({"repo": repo_id})
