"""Where the Flask-SQLAlchemy object is made."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
