"""Request handlers in a blueprint module: they run in the forked workers."""
from flask import Blueprint

from .db import db_session

api = Blueprint("api", __name__)


@api.route("/count")
def count():
    return str(db_session.execute("select count(*) from t").scalar())
