"""Safe twin: the client is lazy (connect=False); each pool child connects on first use."""
from logic.db import MongoHandler

mongo = MongoHandler("mongodb://db")
