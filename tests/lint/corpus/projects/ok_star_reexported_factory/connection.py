import psycopg2


def setconnection():
    return psycopg2.connect("dbname=hipparchia")
