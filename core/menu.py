"""The site menu: a registry of (label, URL name, policy) that the apps fill.

Each app registers its entries in its AppConfig.ready(); ``base.html`` shows the entries
whose policy admits the user (``core.context_processors.menu``), in the order of their
``order``, and knows no role itself. An entry for a capability that depends on data (a
member with their own login, the leader of a tour) asks its policy, which may query; the
menu costs one check per entry, none for entries the user cannot use.
"""

from dataclasses import dataclass

from django.urls import reverse

from core.policies import Policy


@dataclass(frozen=True)
class MenuEntry:
    label: str  # translated lazily (gettext_lazy)
    url_name: str
    policy: Policy
    order: int

    @property
    def url(self) -> str:
        return reverse(self.url_name)


ENTRIES: list[MenuEntry] = []


def register(label, url_name: str, policy: Policy, *, order: int) -> MenuEntry:
    """Add an entry to the menu; a URL name registered twice is an error."""
    if any(entry.url_name == url_name for entry in ENTRIES):
        raise ValueError(f"{url_name} is in the menu already.")
    entry = MenuEntry(label, url_name, policy, order)
    ENTRIES.append(entry)
    ENTRIES.sort(key=lambda item: item.order)
    return entry


def entries_for(user) -> list[MenuEntry]:
    """Return the menu entries the user may use, in their order."""
    return [entry for entry in ENTRIES if entry.policy.admits(user)]
