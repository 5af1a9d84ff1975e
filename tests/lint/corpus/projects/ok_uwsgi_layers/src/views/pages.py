"""Request handlers, two modules away from the connection."""
from flask import Blueprint
from model.orders import Orders

bp = Blueprint("pages", __name__)


@bp.route("/orders")
def orders():
    return str(Orders.count())
