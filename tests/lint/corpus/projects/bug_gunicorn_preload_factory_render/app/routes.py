from flask import Blueprint

from app.extensions import db

bp = Blueprint("invoices", __name__)


@bp.route("/invoices/count")
def count():
    rows = db.session.execute(db.text("select count(*) from invoices"))  # expect: FS101 "db 'db'"
    return str(rows.scalar())
