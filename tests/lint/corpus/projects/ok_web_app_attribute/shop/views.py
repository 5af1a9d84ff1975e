from flask import Blueprint, current_app

bp = Blueprint("shop", __name__)


@bp.route("/items")
def items():
    return {"n": current_app.mongo.shop.items.count_documents({})}


@bp.route("/hits")
async def hits():
    return {"n": await current_app.cache.incr("hits")}
