"""Safe: the settings make the client with connect=False and the master never uses it: each prefork
child connects on its first query."""
from celery import shared_task
from django.conf import settings


@shared_task
def count_instances(form_id):
    return settings.MONGO_DB.instances.count_documents({"form": form_id})
