from mongoengine import Document, StringField, connect


def connect_to_database(name, **kwargs):
    connect(db=name, **kwargs)


class TwitterUser(Document):
    user_id = StringField(required=True)
    name = StringField()
