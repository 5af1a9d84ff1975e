"""A Flask app served by gunicorn --preload: the module runs once in the master, then workers fork."""
import pymysql
from flask import Flask

app = Flask(__name__)
db = pymysql.connect(host="db")


@app.route("/users/<int:uid>")
def user(uid):
    with db.cursor() as cur:  # expect: FS101 "gunicorn --preload (Procfile line 1)"
        cur.execute("select name from users where id = %s", (uid,))
        return cur.fetchone()[0]
