"""ready() runs once per process that sets Django up: under preload_app, once in the master."""
import logging

from django.apps import AppConfig
from django.db.utils import OperationalError, ProgrammingError

logger = logging.getLogger(__name__)

OBSOLETE = ["inventory.tasks.delete_old_parts"]


class InventoryConfig(AppConfig):
    name = "inventory"

    def ready(self):
        try:
            self.remove_obsolete_tasks()
            self.schedule_tasks()
        except (OperationalError, ProgrammingError):
            logger.warning("database not ready, tasks not scheduled")

    def remove_obsolete_tasks(self):
        from inventory.models import Schedule

        Schedule.objects.filter(func__in=OBSOLETE).delete()  # expect: FS101 "-> remove_obsolete_tasks()"

    def schedule_tasks(self):
        from inventory.models import Schedule

        for func in ("inventory.tasks.check_stock", "inventory.tasks.send_digest"):
            Schedule.objects.get_or_create(func=func, defaults={"minutes": 60})
