from flask import Flask
from store import items

app = Flask(__name__)


@app.get("/items")
def list_items():
    return {"n": items.count_documents({})}
