"""Safe twin: after setup the app empties the engine's pool, so no connection crosses the fork."""
from flask import Flask

from .db import engine, init_db
from .views import api

app = Flask(__name__)
app.register_blueprint(api)
init_db()
engine.dispose()
