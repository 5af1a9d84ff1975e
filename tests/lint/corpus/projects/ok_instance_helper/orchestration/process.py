"""Safe twin: the child first lets go of the inherited pool (dispose(close=False))."""
import multiprocessing


def start_session_and_run(target, *args):
    from orchestration.db import db_connection, engine

    engine.dispose(close=False)
    db_connection.start_session()
    return target(*args)


def create_process(target, args=()):
    return multiprocessing.Process(target=start_session_and_run, args=(target, *args))
