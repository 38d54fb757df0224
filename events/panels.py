"""Panels that other apps add to an event's page, so that events imports none of them.

An app registers a function (request, event) -> HTML in its AppConfig.ready(); the event
page shows what each returns, in the order they were registered.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString

EventPanel = Callable[..., str]
_event_panels: list[EventPanel] = []


def register_event_panel(panel: EventPanel) -> EventPanel:
    if panel not in _event_panels:
        _event_panels.append(panel)
    return panel


def event_panels(request, event) -> list[SafeString]:
    """Return the rendered panels of other apps for the event's page, empty ones left out."""
    return [SafeString(html) for panel in _event_panels if (html := panel(request, event))]
