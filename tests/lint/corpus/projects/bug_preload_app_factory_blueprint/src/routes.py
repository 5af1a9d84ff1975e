from flask import Blueprint


def get_routes(db):
    api = Blueprint("api", __name__)

    @api.route("/<kind>/<key>")
    def get_resource(kind, key):
        return db[kind].find_one({"slug": key})  # expect: FS101 "passed to get_routes() by app"

    return api
