"""Connects when imported: in the uWSGI master, before the workers are forked."""
import pymysql

CONN = pymysql.connect(host="db")


def get_conn():
    return CONN  # expect: FS101 "request handler 'get_conn'"
