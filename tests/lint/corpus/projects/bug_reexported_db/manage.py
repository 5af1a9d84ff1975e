"""A management script: runs SQL files in a pool, through the re-exported db."""
import multiprocessing

from web.rest import db


def execute_sql_file(path):
    with open(path) as fp:
        db.engine.execute(fp.read())  # expect: FS101 "web/models.py:4"


def execute_sql_folder(paths):
    pool = multiprocessing.Pool(processes=2)
    pool.map(execute_sql_file, paths)
