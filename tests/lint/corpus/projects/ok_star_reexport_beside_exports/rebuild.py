"""The safe shape: the same rebuild, done in this process (no child)."""
from func import *  # noqa: F403


def rebuild(titles):
    for title in titles:
        render(title)  # noqa: F405


if __name__ == "__main__":
    for part in (["a"], ["b"]):
        rebuild(part)
