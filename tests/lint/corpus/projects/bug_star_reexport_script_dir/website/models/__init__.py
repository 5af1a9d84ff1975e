from .bio import *  # noqa: F403
