"""The Flask-SQLAlchemy object, made when the worker imports the app."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
