"""Settings of the minimal Django project the zero-code tests run (a real server, no mocks).

FS_DJANGO_DB: the DATABASES["default"] entry as JSON. FS_DJANGO_INSTALL=1 adds the one line a
user adds to make Django fork-safe without forksafe.patch().
"""

import json
import os

SECRET_KEY = "forksafe-tests-only"
DEBUG = False
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {"default": json.loads(os.environ["FS_DJANGO_DB"])}
INSTALLED_APPS = ["notes"]

if os.environ.get("FS_DJANGO_INSTALL") == "1":
    INSTALLED_APPS += ["forksafe.integrations.django.ForkSafeConfig"]  # the one line
