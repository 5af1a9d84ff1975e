"""Django settings: mongoengine connects here, at import, under an if/else on the environment, with
``connect=False``: the client opens its first connection when a pool child queries."""
import os

import mongoengine

INSTALLED_APPS = ["media"]
DB_ENV = os.environ.get("DB_ENV", "local")

if DB_ENV == "server":
    mongoengine.connect(db="files", host=os.environ.get("MONGO_HOST", "mongodb://db"), alias="default",
                        connect=False)
else:
    mongoengine.connect(db="files", host="mongodb://localhost", alias="default", connect=False)
