import MySQLdb


class AlarmProcessor:
    def __init__(self, host, user):
        self.mysql = MySQLdb.connect(host=host, user=user)
        self.mysql.autocommit(True)

    def run(self):
        cur = self.mysql.cursor()
        cur.execute("SELECT id FROM alarms")
