from flask_rq2 import RQ
from flask_sqlalchemy import SQLAlchemy as _BaseSQLAlchemy


class SQLAlchemy(_BaseSQLAlchemy):
    """The project's own subclass (for pool options) is still Flask-SQLAlchemy."""

    def apply_pool_defaults(self, app, options):
        options["pool_pre_ping"] = True
        super().apply_pool_defaults(app, options)


db = SQLAlchemy()
rq = RQ(default_timeout=3600)
