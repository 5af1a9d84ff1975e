import pymongo


class Bot:
    def __init__(self):
        self.db = pymongo.MongoClient("mongodb://db")["bot"]

    def trade(self):
        self.db.trades.insert_one({"side": "buy"})
