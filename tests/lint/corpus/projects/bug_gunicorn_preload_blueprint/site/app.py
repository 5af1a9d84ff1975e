"""The app module gunicorn preloads: it connects (init_db) before the workers are forked."""
from flask import Flask

from .db import init_db
from .views import api

app = Flask(__name__)
app.register_blueprint(api)
init_db()
