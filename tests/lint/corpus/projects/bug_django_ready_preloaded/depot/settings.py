INSTALLED_APPS = ["django.contrib.auth", "inventory.apps.InventoryConfig"]
TRACING_ENABLED = False
CONN_MAX_AGE = None  # persistent connections: a worker keeps the one it finds
