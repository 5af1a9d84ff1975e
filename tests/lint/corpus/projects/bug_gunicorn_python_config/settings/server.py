# gunicorn -c python:settings.server: a config given as a module. No preload, but on_starting runs in
# the master and leaves `store` imported there, its client connected, before the workers fork.
workers = 2


def on_starting(server):
    from store import client

    client.admin.command("ping")
