"""A singleton database wrapper: the parent makes the one instance, so Database() in a pool worker
returns the parent's engine."""
import multiprocessing

from sqlalchemy import create_engine


class Singleton(type):
    _instances = {}

    def __call__(cls, *args, **kwargs):
        if cls not in cls._instances:
            cls._instances[cls] = super().__call__(*args, **kwargs)
        return cls._instances[cls]


class Database(metaclass=Singleton):
    def __init__(self):
        self.engine = create_engine("postgresql://db/app")

    def status(self, task):
        with self.engine.connect() as conn:
            return conn.execute(f"select status from tasks where id = {task}")


def process(task):
    return Database().status(task)  # expect: FS101 "singleton"


def main():
    db = Database()
    db.status(0)
    with multiprocessing.Pool(4) as pool:
        pool.map(process, range(10))
