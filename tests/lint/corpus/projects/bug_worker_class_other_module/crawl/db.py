import pymysql

CONN = pymysql.connect(host="db", user="crawler", database="sites")
CURSOR = CONN.cursor()


class SitesConnector:
    def site_ids(self):
        CURSOR.execute("select id from sites")
        return [row[0] for row in CURSOR.fetchall()]

    def save_rank(self, site_id, rank):
        CURSOR.execute("update sites set rank = %s where id = %s", (rank, site_id))
        CONN.commit()
