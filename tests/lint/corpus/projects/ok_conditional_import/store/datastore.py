"""Safe twin: the helper is made inside the child."""
try:
    from store.sqlhelper import SqlHelper
except ImportError:
    SqlHelper = None


def store_data(queue):
    sqlhelper = SqlHelper()
    while True:
        sqlhelper.insert(queue.get())
