from flask import Blueprint, request

from .substring import search_people

searcher = Blueprint("search", __name__)


@searcher.route("/search")
def search():
    return {"results": search_people(request.args["q"])}
