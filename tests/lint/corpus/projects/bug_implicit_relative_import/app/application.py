"""Python 2 style: ``from logic.db import`` means app.logic.db (an implicit relative import)."""
from logic.db import MongoHandler

mongo = MongoHandler("mongodb://db")
