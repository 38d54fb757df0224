"""Every view declares its policy: a test walks the URL resolver and fails on one that
does not (core.policies). The admin's pages are the admin's own: its site admits active
staff (core.policies.ADMIN_SITE) and each model admin checks the model's permissions."""

from django.urls import URLPattern, URLResolver, get_resolver

from core.policies import REGISTRY, Policy, declared_policies

# Views that still decide access by themselves, while issue 13 converts them. This list
# only shrinks: a view listed here that declares a policy fails the test too.
UNDECLARED: set[str] = {
    "artists.api.applications.ApplicationViewSet",
    "artists.api.applications.CallViewSet",
    "artists.api.applications.DecisionViewSet",
    "artists.api.exhibitions.ExhibitionViewSet",
    "artists.api.exhibitions.StudioViewSet",
    "artists.api.exhibitions.WorkViewSet",
    "artists.api.jury.ConflictViewSet",
    "artists.api.jury.ReviewViewSet",
    "artists.api.profiles.ArtistImageViewSet",
    "artists.api.profiles.ArtistViewSet",
    "artists.api.statistics.VisitStatisticsViewSet",
    "artists.api.tallies.SaleViewSet",
    "artists.api.tallies.TallyViewSet",
}


def _views():
    """Yield (route, view name, view callable) for every URL outside the admin."""

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner == "admin":
                    continue
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                callback = pattern.callback
                cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
                target = cls or callback
                name = f"{target.__module__}.{target.__qualname__}"
                yield prefix + str(pattern.pattern), name, callback

    yield from walk(get_resolver(), "", None)


def test_every_view_declares_a_policy():
    missing = sorted(
        {name for _route, name, view in _views() if not declared_policies(view)} - UNDECLARED
    )
    assert not missing, "views without a declared policy (core.policies.requires):\n" + "\n".join(
        missing
    )


def test_the_list_of_undeclared_views_only_shrinks():
    declared = {name for _route, name, view in _views() if declared_policies(view)}
    assert not (UNDECLARED & declared), (
        f"now declared, remove from UNDECLARED: {UNDECLARED & declared}"
    )
    known = {name for _route, name, _view in _views()}
    assert known >= UNDECLARED, f"no such view: {UNDECLARED - known}"


def test_every_declared_policy_is_registered_by_name():
    for _route, _name, view in _views():
        for policy in declared_policies(view):
            assert isinstance(policy, Policy)
            assert REGISTRY[policy.name] is policy
