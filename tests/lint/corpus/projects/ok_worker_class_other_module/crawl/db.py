import pymysql


def connect():
    return pymysql.connect(host="db", user="crawler", database="sites")


class SitesConnector:
    def site_ids(self):
        with connect() as conn, conn.cursor() as cursor:
            cursor.execute("select id from sites")
            return [row[0] for row in cursor.fetchall()]

    def save_rank(self, site_id, rank):
        with connect() as conn, conn.cursor() as cursor:
            cursor.execute("update sites set rank = %s where id = %s", (rank, site_id))
            conn.commit()
