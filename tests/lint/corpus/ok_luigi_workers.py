"""Safe twin: each task connects in its own process."""
import luigi
import psycopg2


class Load(luigi.Task):
    day = luigi.Parameter()

    def run(self):
        with psycopg2.connect("dbname=warehouse") as conn, conn.cursor() as cur:
            cur.execute("insert into loads values (%s)", (self.day,))


if __name__ == "__main__":
    luigi.build([Load(day=d) for d in ("mon", "tue")], workers=4)
