"""The app module re-exports db (it only imports it)."""
from flask import Flask

from web.models import db

app = Flask(__name__)
db.init_app(app)
