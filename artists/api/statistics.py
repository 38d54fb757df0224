"""API of Kunst rett vest: statistics (being built)."""


def register(router):
    """Register this module's routes (none yet)."""
