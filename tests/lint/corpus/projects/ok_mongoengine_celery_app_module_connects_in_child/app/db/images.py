from mongoengine import DynamicDocument, StringField


class ImageModel(DynamicDocument):
    path = StringField()
