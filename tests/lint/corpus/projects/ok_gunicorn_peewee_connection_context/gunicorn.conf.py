"""Migrations in the master, inside a connection context that closes before the workers fork."""
from insights import models

preload_app = True
workers = 4
wsgi_app = "insights.api:api"


def on_starting(server):
    with models.db.connection_context():
        models.run_migration()
