"""The program runs gunicorn itself: the master made the app (and used the database) before forking."""
import gunicorn.app.base

from app import create_app

application = create_app()


class Standalone(gunicorn.app.base.BaseApplication):
    def __init__(self, wsgi, options):
        self.options = options
        self.application = wsgi
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def main():
    Standalone(application, {"workers": 4}).run()
