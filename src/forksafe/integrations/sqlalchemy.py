def _enable_auto() -> None:
    pass


def _disable_auto() -> None:
    pass
