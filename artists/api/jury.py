"""API of Kunst rett vest: jury."""


def register(router):
    """Register this module's routes."""
