"""The application's shared drivers, made once at import: a process pool and a database connection."""
from concurrent.futures import ProcessPoolExecutor

import psycopg2

executor = ProcessPoolExecutor(4)
conn = psycopg2.connect("dbname=app")
conn.cursor().execute("SELECT 1")
