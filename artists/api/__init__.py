"""The REST API of Kunst rett vest: each module registers its own routes."""

from importlib import import_module

MODULES = ("profiles", "applications", "jury", "exhibitions", "tallies", "statistics")


def register(router):
    """Register the routes of every API module of the app."""
    for name in MODULES:
        module = import_module(f"artists.api.{name}")
        module.register(router)
