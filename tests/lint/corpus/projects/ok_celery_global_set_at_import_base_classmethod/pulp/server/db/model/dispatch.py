from pulp.server.db.model.base import Model


class TaskStatus(Model):
    collection_name = "task_status"
