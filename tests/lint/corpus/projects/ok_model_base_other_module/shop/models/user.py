from shop.orm.model import Model


class User(Model):
    table = "users"
