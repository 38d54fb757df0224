"""The dashboard: a registry of panels that the apps fill, one page per login.

Each app registers its panels in its AppConfig.ready(), as it registers its menu entries
(core.menu): a title, a template, the policy that says who sees the panel, an order, and a
function ``context(user, now)`` that returns the panel's data (a dict the template reads)
or None when nothing needs the user now. The dashboard (``core:dashboard``) shows the
panels whose policy admits the user and whose context has something to show, in their
order; a login with several roles sees every panel that applies. The core imports no app:
the apps bring their panels here.

A panel's context answers "what needs me now" with counts and links, in a fixed number of
queries however many rows it has (tests/<app>/test_dashboard.py assert it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from core.policies import Policy

PanelContext = Callable[[object, datetime], dict | None]


@dataclass(frozen=True)
class Panel:
    key: str  # stable, for the page's ids and the tests: "orchestra.children"
    title: str  # translated lazily (gettext_lazy)
    template: str
    policy: Policy
    order: int
    context: PanelContext
    # The app's own stylesheets the panel's template uses (static paths), if any.
    stylesheets: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShownPanel:
    panel: Panel
    data: dict

    @property
    def key(self) -> str:
        return self.panel.key

    @property
    def dom_id(self) -> str:
        return "panel-" + self.panel.key.replace(".", "-").replace("_", "-")


PANELS: list[Panel] = []


def register(
    key: str,
    title,
    template: str,
    policy: Policy,
    *,
    order: int,
    context: PanelContext,
    stylesheets: tuple[str, ...] = (),
) -> Panel:
    """Add a panel to the dashboard; a key registered twice is an error."""
    if any(panel.key == key for panel in PANELS):
        raise ValueError(f"The dashboard has a panel {key} already.")
    panel = Panel(key, title, template, policy, order, context, tuple(stylesheets))
    PANELS.append(panel)
    PANELS.sort(key=lambda item: (item.order, item.key))
    return panel


def panels_admitting(user) -> list[Panel]:
    """Return the panels whose policy admits the user, in their order."""
    return [panel for panel in PANELS if panel.policy.admits(user)]


def panels_for(user, now: datetime, admitted: list[Panel] | None = None) -> list[ShownPanel]:
    """Return the panels the user may see that have something to show now, in order."""
    if admitted is None:
        admitted = panels_admitting(user)
    shown = []
    for panel in admitted:
        data = panel.context(user, now)
        if data is not None:
            shown.append(ShownPanel(panel, data))
    return shown


def stylesheets_of(shown: list[ShownPanel]) -> list[str]:
    """Return the stylesheets the shown panels use, each once, in the panels' order."""
    return list(dict.fromkeys(sheet for item in shown for sheet in item.panel.stylesheets))


def local_day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """Return the start of the local day of ``now`` and the start of the next one."""
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    end = timezone.make_aware(datetime.combine(start.date() + timedelta(days=1), time()))
    return start, end


def local_week_start(now: datetime) -> datetime:
    """Return the start of the local week (Monday) of ``now``."""
    start, _end = local_day_bounds(now)
    monday = start.date() - timedelta(days=start.weekday())
    return timezone.make_aware(datetime.combine(monday, time()))
