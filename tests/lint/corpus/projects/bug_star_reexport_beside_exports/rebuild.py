from multiprocessing import Process

from func import *  # noqa: F403


def rebuild(titles):
    for title in titles:
        render(title)  # noqa: F405  # expect: FS101 "used in mark.render()"


if __name__ == "__main__":
    for part in (["a"], ["b"]):
        Process(target=rebuild, args=(part,)).start()
