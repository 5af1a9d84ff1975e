INSTALLED_APPS = ["django_rq", "scanner"]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "scans"}}
