"""Safe twin: without --preload each gunicorn worker imports the app (and connects) itself."""
import pymysql
from flask import Flask

app = Flask(__name__)
db = pymysql.connect(host="db")


@app.route("/users/<int:uid>")
def user(uid):
    with db.cursor() as cur:
        cur.execute("select name from users where id = %s", (uid,))
        return cur.fetchone()[0]
