from flask import Blueprint

from app.database import Session

bp = Blueprint("v", __name__)


@bp.route("/")
def index():
    return str(Session.query("select 1"))  # expect: FS101 "kept as Session.db by Session.init_app()"
