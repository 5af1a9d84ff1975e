"""Safe twin: a post_fork hook gives each worker a pool of its own (SQLAlchemy dispose(close=False))."""
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
    Standalone(application, {"workers": 4, "post_fork": reset}).run()


def reset(server, worker):
    with application.app_context():
        from app import db

        db.engine.dispose(close=False)
