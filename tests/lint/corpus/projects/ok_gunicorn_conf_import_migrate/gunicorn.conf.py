# The master imports only settings and migrates in a process of its own: app.database is first
# imported by each worker, after the fork, so every worker makes its own engine.
import subprocess

from app.settings import LOG_LEVEL

loglevel = LOG_LEVEL


def on_starting(server):
    subprocess.run(["alembic", "upgrade", "head"], check=True)
