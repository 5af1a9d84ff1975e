INSTALLED_APPS = ["django.contrib.auth", "warehouse.apps.WarehouseConfig"]
TRACING_ENABLED = False
CONN_MAX_AGE = None  # persistent connections: a worker keeps the one it finds
