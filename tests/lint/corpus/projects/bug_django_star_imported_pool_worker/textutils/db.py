"""Helpers the pool workers run; the command imports them with a star. Their close_all() is the
child closing what it inherited: no fix while the parent has queried."""
import django
from topics.models import RunStats, Term


def init_run():
    return RunStats.objects.create(method="NM").pk


def add_features(title, run_id):
    django.db.connections.close_all()
    term, _ = Term.objects.get_or_create(title=title)  # expect: FS101 "process pool worker 'add_features'"
    return term.pk
