"""Framework integrations: what a framework keeps besides the driver connection.

A forksafe connection already belongs to one process. Frameworks add bookkeeping around their
connections (SQLAlchemy's pool, Django's per-thread connection handles and its psycopg pool) that
a forked child inherits as is. Each module here makes that bookkeeping start empty in a child and
makes sure connections the framework opened without forksafe are quarantined there too.
``forksafe.patch()`` switches them on automatically when the framework is imported.
"""
