"""The Celery master loads Django's settings, whose client connects at import; the prefork children
query through it as ``settings.MONGO_DB``."""
from celery import shared_task
from django.conf import settings


@shared_task
def count_instances(form_id):
    return settings.MONGO_DB.instances.count_documents({"form": form_id})  # expect: FS104 "proj/settings.py"
