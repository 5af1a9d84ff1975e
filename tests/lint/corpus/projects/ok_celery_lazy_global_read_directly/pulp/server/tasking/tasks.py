from pulp.server.db import connection
from pulp.server.tasking.app import celery


@celery.task
def sync(repo_id):
    # the global itself, not a helper returning it
    return connection._DATABASE["units"].find_one({"repo": repo_id})
