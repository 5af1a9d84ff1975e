# The fix: the master disposes of the engine's pool after migrating, before any worker forks.
workers = 4


def when_ready(server):
    import run
    from web.extensions import db
    from web.migrate import migrate_servers

    with run.app.app_context():
        migrate_servers()
        db.engine.dispose()
