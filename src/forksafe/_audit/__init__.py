"""The fork audit: what crossed a fork in a whole process tree, and what forksafe did with it.

``record``: each process appends its own events to its own file (no lock shared between
processes). ``report``: the top process gathers the files into one JSON report at exit.
``table``: the short summary printed then, and by ``forksafe report PATH``.
"""
