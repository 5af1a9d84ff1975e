from flask import Blueprint

from app.database import Session

bp = Blueprint("v", __name__)


@bp.route("/")
def index():
    return str(Session.query("select 1"))
