"""Helpers the pool workers run; the command imports them with a star."""
import django
from themes.models import RunStats, Term


def init_run():
    return RunStats.objects.create(method="NM").pk


def add_features(title, run_id):
    django.db.connections.close_all()
    term, _ = Term.objects.get_or_create(title=title)
    return term.pk
