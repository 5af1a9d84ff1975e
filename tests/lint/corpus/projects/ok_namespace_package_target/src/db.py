import sqlite3

connection = sqlite3.connect("./data/links.db")


def get_connection():
    return connection
