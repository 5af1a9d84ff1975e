"""redis-py clients are fork-aware (they reset their pool by pid): not reported."""
import multiprocessing

import redis

r = redis.Redis(host="cache")


def work(k):
    return r.get(k)


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        pool.map(work, ["a", "b"])
