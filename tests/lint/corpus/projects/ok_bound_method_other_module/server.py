"""Safe twin: the bot keeps only the URI; trade() connects in the child."""
from multiprocessing import Process

from bot import Bot


def add_worker():
    bot = Bot()
    Process(target=bot.trade).start()
