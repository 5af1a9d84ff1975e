"""Safe twin: each pool worker drops the engine it inherited before using it."""
import multiprocessing

from web.rest import db


def execute_sql_file(path):
    db.engine.dispose()
    with open(path) as fp:
        db.engine.execute(fp.read())


def execute_sql_folder(paths):
    pool = multiprocessing.Pool(processes=2)
    pool.map(execute_sql_file, paths)
