"""The worker's entry module (celery -A celery_worker.celery worker): it builds the app at import,
in the master, and the app's start-up check queries through it."""
from celery import Celery
from web.app import create_app

flask_app = create_app()
celery = Celery("tasks", broker="redis://localhost:6379/0", include=["web.tasks"])
