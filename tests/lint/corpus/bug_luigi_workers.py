"""luigi with several workers runs each task's run() in a forked process: the module-level
connection the scheduler process opened is shared by every task."""
import luigi
import psycopg2

conn = psycopg2.connect("dbname=warehouse")
conn.cursor().execute("select 1")


class Load(luigi.Task):
    day = luigi.Parameter()

    def run(self):
        with conn.cursor() as cur:  # expect: FS101 "luigi.build(workers=...)"
            cur.execute("insert into loads values (%s)", (self.day,))


if __name__ == "__main__":
    luigi.build([Load(day=d) for d in ("mon", "tue")], workers=4)
