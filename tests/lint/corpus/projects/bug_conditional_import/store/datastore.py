"""The helper class is chosen by a conditional import; its instance is made (and used) at import."""
try:
    from store.sqlhelper import SqlHelper
except ImportError:
    SqlHelper = None

sqlhelper = SqlHelper()
sqlhelper.session.execute("select 1")


def store_data(queue):
    while True:
        sqlhelper.insert(queue.get())  # expect: FS101 "held as an attribute by sqlhelper.SqlHelper()"
