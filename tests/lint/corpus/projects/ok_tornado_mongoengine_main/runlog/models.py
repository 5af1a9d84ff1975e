import mongoengine


class Run(mongoengine.Document):
    miles = mongoengine.FloatField()
