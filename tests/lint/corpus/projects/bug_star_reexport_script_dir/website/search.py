from models import Gene


def find_gene(name):
    return Gene.query.filter_by(name=name).one()
