"""InvenTree's shape: the app is preloaded "so that the ready functions are only executed once"; the
post_fork hook only sets up tracing. The command line (gunicorn -c gunicorn.conf.py depot.wsgi) is in a
deployment script outside the tree."""
import multiprocessing

workers = multiprocessing.cpu_count() * 2 + 1
preload_app = True


def post_fork(server, worker):
    from django.conf import settings

    if settings.TRACING_ENABLED:
        from depot.tracing import setup_tracing
        setup_tracing()
