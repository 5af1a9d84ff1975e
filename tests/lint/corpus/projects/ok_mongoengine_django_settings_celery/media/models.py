from mongoengine import Document, StringField


class AudioFile(Document):
    name = StringField()
    status = StringField()
