from pulp.server.db import connection


class Model(dict):
    collection_name = None

    @classmethod
    def get_collection(cls):
        return connection.get_collection(cls.collection_name)
