"""The queue a daemon reads its work from, over the cached connection."""
import nav.db


class Queue:
    def __init__(self):
        nav.db.getConnection("smsd", "navprofile")  # connect early, to fail early

    def getusers(self):
        db = nav.db.getConnection("smsd", "navprofile").cursor()
        db.execute("select 1")
        return db.fetchall()
