# ruff: noqa: F401  (imported to be star-imported)
"""Everything the app uses, imported once and star-imported everywhere."""
import os

import sqlalchemy as db
from celery import Celery
