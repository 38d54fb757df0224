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


# A provider takes the periods a page lists and returns, per period id, the (label, url)
# links it adds under that period: one call per page, so a provider reads all at once.
PeriodLinks = Callable[[list], dict[int, list[tuple[str, str]]]]
_period_link_providers: list[PeriodLinks] = []


def register_period_links(provider: PeriodLinks) -> PeriodLinks:
    if provider not in _period_link_providers:
        _period_link_providers.append(provider)
    return provider


def period_links(periods) -> list[tuple[object, list[tuple[str, str]]]]:
    """Return each period with the links other apps add to it (an art round's studios...)."""
    periods = list(periods)
    links: dict[int, list[tuple[str, str]]] = {}
    for provider in _period_link_providers:
        for period_id, added in provider(periods).items():
            links.setdefault(period_id, []).extend(added)
    return [(period, links.get(period.pk, [])) for period in periods]


# A programme panel takes (request, programme) and returns HTML for the programme's page,
# such as the orchestra's groups and their feeds.
ProgrammePanel = Callable[..., str]
_programme_panels: list[ProgrammePanel] = []


def register_programme_panel(panel: ProgrammePanel) -> ProgrammePanel:
    if panel not in _programme_panels:
        _programme_panels.append(panel)
    return panel


def programme_panels(request, programme) -> list[SafeString]:
    """Return the rendered panels of other apps for a programme's page, empty ones left out."""
    return [SafeString(html) for panel in _programme_panels if (html := panel(request, programme))]
