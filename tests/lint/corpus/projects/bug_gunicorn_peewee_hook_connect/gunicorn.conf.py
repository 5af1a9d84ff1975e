"""Migrations in the master, on a connection left open when the workers fork."""
from insights import models

preload_app = True
workers = 4
wsgi_app = "insights.api:api"


def on_starting(server):
    models.db.connect()
    models.run_migration()
