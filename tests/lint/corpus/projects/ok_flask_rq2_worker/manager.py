"""The Flask app that ``flask rq worker`` (Flask-RQ2, FLASK_APP=manager.py) loads in the RQ worker
process before it forks a work horse per job."""
from app import create_app

app = create_app()
