# No preload_app: yet when_ready imports run in gunicorn's master, which makes the app and migrates
# through its engine; the workers forked next serve run:app, already in sys.modules, on the master's pool.
workers = 4


def when_ready(server):
    import run
    from web.migrate import migrate_servers

    with run.app.app_context():
        migrate_servers()
