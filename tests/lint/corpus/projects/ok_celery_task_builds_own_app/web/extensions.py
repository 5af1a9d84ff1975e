"""The Flask extensions, unbound: Flask-SQLAlchemy makes no engine until ``db.init_app(app)``."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
