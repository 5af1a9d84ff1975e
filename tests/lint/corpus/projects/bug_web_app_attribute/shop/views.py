from flask import Blueprint, current_app

bp = Blueprint("shop", __name__)


@bp.route("/items")
def items():
    return {"n": current_app.mongo.shop.items.find_one()}  # expect: FS101 "set as app.mongo in create_app()"


@bp.route("/hits")
async def hits():
    return {"n": await current_app.cache.incr("hits")}  # expect: FS101 "set as app.cache in init_cache()"
