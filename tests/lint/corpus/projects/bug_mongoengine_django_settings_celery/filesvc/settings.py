"""Django settings: mongoengine connects here, at import, under an if/else on the environment. The
Celery worker loads these settings in its main process (``config_from_object``) before it forks."""
import os

import mongoengine

INSTALLED_APPS = ["media"]
DB_ENV = os.environ.get("DB_ENV", "local")

if DB_ENV == "server":
    mongoengine.connect(db="files", host=os.environ.get("MONGO_HOST", "mongodb://db"), alias="default")
else:
    mongoengine.connect(db="files", host="mongodb://localhost", alias="default")
