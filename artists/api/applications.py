"""API of Kunst rett vest: applications."""


def register(router):
    """Register this module's routes."""
