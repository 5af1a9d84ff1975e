import MySQLdb


class AlarmProcessor:
    """The fix: ``__init__`` keeps the parameters, and ``run`` (in the child) connects."""

    def __init__(self, host, user):
        self.host, self.user = host, user

    def run(self):
        mysql = MySQLdb.connect(host=self.host, user=self.user)
        cur = mysql.cursor()
        cur.execute("SELECT id FROM alarms")
