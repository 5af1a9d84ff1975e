"""ready() runs once per process that sets Django up: under preload_app, once in the master, which
closes the connection its queries opened before gunicorn forks the workers."""
import logging

from django.apps import AppConfig
from django.db import connections
from django.db.utils import OperationalError, ProgrammingError

logger = logging.getLogger(__name__)

OBSOLETE = ["warehouse.tasks.delete_old_parts"]


class WarehouseConfig(AppConfig):
    name = "warehouse"

    def ready(self):
        try:
            self.remove_obsolete_tasks()
            self.schedule_tasks()
        except (OperationalError, ProgrammingError):
            logger.warning("database not ready, tasks not scheduled")
        finally:
            connections.close_all()

    def remove_obsolete_tasks(self):
        from warehouse.models import Schedule

        Schedule.objects.filter(func__in=OBSOLETE).delete()

    def schedule_tasks(self):
        from warehouse.models import Schedule

        for func in ("warehouse.tasks.check_stock", "warehouse.tasks.send_digest"):
            Schedule.objects.get_or_create(func=func, defaults={"minutes": 60})
