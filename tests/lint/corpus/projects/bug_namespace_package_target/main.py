"""``src`` has no ``__init__.py`` (a namespace package): the target ``scraper.catch_product`` is
still the module ``src/scraper.py``, and its connection the one ``src/db.py`` opened at import."""
import multiprocessing as mp

from src import db, scraper

if __name__ == "__main__":
    links = db.get_connection().execute("SELECT id, url FROM links WHERE done = 0").fetchall()
    for link in links:
        mp.Process(target=scraper.catch_product, args=(link,)).start()
