"""The site menu: a registry of (label, URL name, policy) that the apps fill.

Each app registers its entries in its AppConfig.ready(); ``base.html`` shows the entries
whose policy admits the user (``core.context_processors.menu``), in the order of their
``order``, and knows no role itself. An entry for a capability that depends on data (a
member with their own login, the leader of a tour) asks its policy, which may query; the
menu costs one check per entry, none for entries the user cannot use.

An entry registered with ``primary=True`` is a main task of everyone who may use it; with
``primary=(Role.JUROR,)`` only of the users who hold one of those roles (a juror's jury,
which staff may open too but seldom need). The header shows the user's first few primary
entries on every screen, and the rest behind the menu button, grouped by app.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse

from core.policies import Policy
from core.roles import user_roles

# The header shows at most this many primary entries in its row; the rest go in the menu.
MAIN_ENTRIES = 4


@dataclass(frozen=True)
class MenuEntry:
    label: str  # translated lazily (gettext_lazy)
    url_name: str
    policy: Policy
    order: int
    primary: bool | tuple[str, ...] = False

    def is_primary_for(self, user) -> bool:
        """Return True if the entry is one of the user's main tasks (see the module)."""
        if isinstance(self.primary, bool):
            return self.primary
        # A superuser passes every role's policy but holds none of these tasks as their own;
        # asking would also cost every page a query for their role groups.
        if user.is_superuser:
            return False
        return bool(user_roles(user) & set(self.primary))

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    @property
    def app_label(self) -> str:
        """Return the app the entry belongs to: its URL namespace, else the platform."""
        namespace = self.url_name.partition(":")[0] if ":" in self.url_name else ""
        return namespace if namespace in _APP_LABELS else "core"


_APP_LABELS = ("artists", "orchestra", "events", "ticketing")

ENTRIES: list[MenuEntry] = []


def register(
    label, url_name: str, policy: Policy, *, order: int, primary: bool | tuple[str, ...] = False
) -> MenuEntry:
    """Add an entry to the menu; a URL name registered twice is an error."""
    if any(entry.url_name == url_name for entry in ENTRIES):
        raise ValueError(f"{url_name} is in the menu already.")
    if not isinstance(primary, bool):
        primary = tuple(primary)
    entry = MenuEntry(label, url_name, policy, order, primary)
    ENTRIES.append(entry)
    ENTRIES.sort(key=lambda item: item.order)
    return entry


def entries_for(user) -> list[MenuEntry]:
    """Return the menu entries the user may use, in their order."""
    return [entry for entry in ENTRIES if entry.policy.admits(user)]


@dataclass(frozen=True)
class MenuGroup:
    label: str
    entries: list[MenuEntry]


@dataclass(frozen=True)
class Menu:
    main: list[MenuEntry]  # the header's row, on every screen
    groups: list[MenuGroup]  # behind the menu button

    def __bool__(self) -> bool:
        return bool(self.main or self.groups)


def menu_for(user) -> Menu:
    """Split the user's entries into the header's few main ones and the grouped rest."""
    entries = entries_for(user)
    main = [entry for entry in entries if entry.is_primary_for(user)][:MAIN_ENTRIES]
    rest = [entry for entry in entries if entry not in main]
    groups: dict[str, list[MenuEntry]] = {}
    for entry in rest:
        groups.setdefault(entry.app_label, []).append(entry)
    return Menu(
        main=main,
        groups=[
            MenuGroup(apps.get_app_config(label).verbose_name, group_entries)
            for label, group_entries in groups.items()
        ],
    )
