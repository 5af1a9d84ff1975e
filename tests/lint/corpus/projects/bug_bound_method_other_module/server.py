"""The bot is made in the parent; its trade() runs in the child on the parent's client."""
from multiprocessing import Process

from bot import Bot


def add_worker():
    bot = Bot()
    Process(target=bot.trade).start()  # expect: FS102 "whose method trade() runs in the child"
