import multiprocessing


def work(conn, n):
    conn.cursor().execute("select %s", (n,))


def run(conn, count):
    for n in range(count):
        child = multiprocessing.Process(target=work, args=(conn, n))  # expect: FS102 "passed to run() by"
        child.start()
