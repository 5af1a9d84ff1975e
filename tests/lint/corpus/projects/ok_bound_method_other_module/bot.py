import pymongo


class Bot:
    def __init__(self):
        self.uri = "mongodb://db"

    def trade(self):
        db = pymongo.MongoClient(self.uri)["bot"]
        db.trades.insert_one({"side": "buy"})
