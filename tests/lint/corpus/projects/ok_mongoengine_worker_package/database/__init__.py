from mongoengine import Document, StringField, connect


def connect_mongo(name, host="mongodb://db:27017/annotator"):
    connect(name, host=host)


class ImageModel(Document):
    path = StringField()
    thumbnail = StringField()
