# Safe twin: the config module's master hook only reads a setting; nothing imports the client there.
workers = 2


def on_starting(server):
    import os

    server.log.info("starting with %s", os.environ.get("MONGO_URL"))
