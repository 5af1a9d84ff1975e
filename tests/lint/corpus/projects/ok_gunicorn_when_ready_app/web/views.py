from flask import Blueprint
from sqlalchemy import text

from web.extensions import db

bp = Blueprint("web", __name__)


@bp.route("/servers")
def servers():
    rows = db.session.execute(text("SELECT name FROM server"))
    return {"servers": [r.name for r in rows]}
