from .client import db


class BaseCollection:
    def __init__(self, collection):
        self.collection = collection

    def aggregate(self, pipeline):
        return self.collection.aggregate(pipeline)


class ViewCollection(BaseCollection):
    def __init__(self):
        super().__init__(db["views"])
