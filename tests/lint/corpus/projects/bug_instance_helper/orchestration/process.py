import multiprocessing


def start_session_and_run(target, *args):
    from orchestration.db import db_connection

    db_connection.start_session()  # expect: FS101 "db_connection.start_session() called"
    return target(*args)


def create_process(target, args=()):
    return multiprocessing.Process(target=start_session_and_run, args=(target, *args))
