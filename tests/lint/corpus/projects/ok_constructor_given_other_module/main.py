import multiprocessing as mp

from crawl.workers import Saver

if __name__ == "__main__":
    queue = mp.Queue()
    for _ in range(3):
        Saver("mongodb://db", queue).start()
