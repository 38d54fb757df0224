"""API of Kunst rett vest: profiles."""


def register(router):
    """Register this module's routes."""
